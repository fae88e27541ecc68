// Kill drills from the person's side: starting one (who may, on which agents, one at a time, told
// to the agent through its state version), activation needing a passed drill within the age
// limit, and suspending cancelling the agent's waiting checkpoints.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { KILL_DRILL_MAX_AGE_DAYS, killDrillMaxAgeDays } from "@/lib/agents/activation-checks";
import { changeAgentStatus } from "@/lib/agents/change-agent-status";
import type { Actor } from "@/lib/audit/record";
import { ConfigError } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { CHANGE_CHANNEL } from "@/lib/db/notify";
import type { AgentStatus, Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { startDrill } from "@/lib/kill/start-drill";

interface Who {
  id: string;
  roles: Role[];
}

let admin: Who;
let owner: Who;
let techOwner: Who;
let actionId: string;

const actorOf = (who: Who): Actor => ({ type: "person", personId: who.id, requestId: randomUUID(), via: "console" });
const DAY = 86_400_000;

async function person(name: string, roles: Role[] = []): Promise<Who> {
  const row = await db().person.create({ data: { email: `${name}-${randomUUID().slice(0, 6)}@drill.test`, name, roles } });
  return { id: row.id, roles };
}

async function agent(status: AgentStatus = "draft") {
  return db().agent.create({
    data: {
      slug: `d-${randomUUID().slice(0, 8)}`,
      name: "Drilled",
      purpose: "Drill tests.",
      status,
      deployedById: admin.id,
      technicalOwnerId: techOwner.id,
      owners: { create: [{ personId: owner.id }] },
      permissions: { create: [{ actionId, effect: "allow", justification: "Reads." }] },
    },
  });
}

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  admin = await person("admin", ["admin"]);
  owner = await person("owner");
  techOwner = await person("tech");
  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  actionId = (await db().action.create({ data: { key: "crm.contact.read", name: "Read", systemId: system.id, category: "read", risk: "low" } })).id;
});

describe("startDrill", () => {
  it("starts a pending drill and bumps the state version so the status poll carries it at once", async () => {
    const target = await agent("active");
    const listener = new pg.Client(process.env.DATABASE_URL);
    await listener.connect();
    const received: unknown[] = [];
    listener.on("notification", (message) => received.push(JSON.parse(message.payload ?? "null")));
    await listener.query(`listen ${CHANGE_CHANNEL}`);
    try {
      const started = await startDrill(techOwner, actorOf(techOwner), { agentId: target.id });
      expect(started).toMatchObject({ slug: target.slug, thresholdMs: 1000, expiredDrills: 0 });
      expect(await db().killDrill.findUniqueOrThrow({ where: { id: started.drillId } })).toMatchObject({
        agentId: target.id,
        startedById: techOwner.id,
        status: "pending",
        thresholdMs: 1000,
        acknowledgedAt: null,
        latencyMs: null,
      });
      expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).stateVersion).toBe(2);
      await expect.poll(() => received).toEqual([{ kind: "agent", id: target.id, agentId: target.id }]);
      const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "kill_drill.started", subjectId: started.drillId } });
      expect(audit).toMatchObject({ agentId: target.id, actorPersonId: techOwner.id, data: expect.objectContaining({ thresholdMs: 1000 }) });
    } finally {
      await listener.end();
    }
  });

  it("keeps one drill pending per agent: a new one expires the one still waiting", async () => {
    const target = await agent("suspended");
    const first = await startDrill(owner, actorOf(owner), { agentId: target.id, thresholdMs: 500 });
    const second = await startDrill(owner, actorOf(owner), { agentId: target.id });
    expect(second.expiredDrills).toBe(1);
    expect((await db().killDrill.findUniqueOrThrow({ where: { id: first.drillId } })).status).toBe("expired");
    expect(await db().killDrill.count({ where: { agentId: target.id, status: "pending" } })).toBe(1);
    const both = await Promise.all([startDrill(owner, actorOf(owner), { agentId: target.id }), startDrill(admin, actorOf(admin), { agentId: target.id })]);
    expect(both).toHaveLength(2);
    expect(await db().killDrill.count({ where: { agentId: target.id, status: "pending" } })).toBe(1);
  });

  it("drills draft, active and suspended agents only, with a sane threshold", async () => {
    for (const status of ["killed", "retired"] as const) {
      const target = await agent(status);
      expect((await refused(startDrill(owner, actorOf(owner), { agentId: target.id }))).code).toBe("conflict");
      expect(await db().killDrill.count({ where: { agentId: target.id } })).toBe(0);
    }
    const draft = await agent("draft");
    for (const thresholdMs of [0, 99, 30_001, 1.5, "fast"]) {
      expect((await refused(startDrill(owner, actorOf(owner), { agentId: draft.id, thresholdMs }))).fields?.[0]?.path).toBe("thresholdMs");
    }
    await startDrill(owner, actorOf(owner), { agentId: draft.id });
    expect(await db().killDrill.count({ where: { agentId: draft.id } })).toBe(1);
  });

  it("refuses approvers, auditors and owners of other agents, and audits each attempt", async () => {
    const target = await agent("active");
    for (const who of [await person("approver", ["approver"]), await person("auditor", ["auditor"]), await person("stranger")]) {
      expect((await refused(startDrill(who, actorOf(who), { agentId: target.id }))).code).toBe("forbidden");
      expect(await db().auditEvent.count({ where: { type: "kill_drill.start.refused", actorPersonId: who.id, agentId: target.id } })).toBe(1);
    }
    expect(await db().killDrill.count({ where: { agentId: target.id } })).toBe(0);
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).stateVersion).toBe(1);
  });
});

describe("activation needs a passed drill", () => {
  it("refuses without one, naming the check, and allows with a recent one", async () => {
    const target = await agent("draft");
    const error = await refused(changeAgentStatus(admin, actorOf(admin), { agentId: target.id, to: "active" }));
    expect(error.code).toBe("conflict");
    expect(error.fields?.map((field) => field.path)).toEqual(["checks.kill_drill"]);
    expect(error.message).toContain(`within the last ${KILL_DRILL_MAX_AGE_DAYS} days`);

    // A failed drill and a pending one do not count; nor does a pass older than the limit.
    await db().killDrill.create({ data: { agentId: target.id, startedById: owner.id, status: "failed", latencyMs: 4000 } });
    await db().killDrill.create({ data: { agentId: target.id, startedById: owner.id, status: "passed", startedAt: new Date(Date.now() - 91 * DAY), latencyMs: 300 } });
    await startDrill(owner, actorOf(owner), { agentId: target.id });
    expect((await refused(changeAgentStatus(admin, actorOf(admin), { agentId: target.id, to: "active" }))).fields?.map((f) => f.path)).toEqual(["checks.kill_drill"]);
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).status).toBe("draft");

    await db().killDrill.create({ data: { agentId: target.id, startedById: owner.id, status: "passed", startedAt: new Date(Date.now() - 89 * DAY), latencyMs: 300 } });
    expect(await changeAgentStatus(admin, actorOf(admin), { agentId: target.id, to: "active" })).toMatchObject({ status: "active" });
  });

  it("reads the age limit from MANDATE_DRILL_MAX_AGE_DAYS, refusing a bad value in one line", () => {
    expect(killDrillMaxAgeDays({})).toBe(90);
    expect(killDrillMaxAgeDays({ MANDATE_DRILL_MAX_AGE_DAYS: " 30 " })).toBe(30);
    expect(killDrillMaxAgeDays({ MANDATE_DRILL_MAX_AGE_DAYS: "" })).toBe(90);
    for (const bad of ["0", "-5", "1.5", "ninety", "4000"]) {
      expect(() => killDrillMaxAgeDays({ MANDATE_DRILL_MAX_AGE_DAYS: bad })).toThrow(ConfigError);
      expect(() => killDrillMaxAgeDays({ MANDATE_DRILL_MAX_AGE_DAYS: bad })).toThrow(/MANDATE_DRILL_MAX_AGE_DAYS must be a whole number of days from 1 to 3650/);
    }
  });

  it("applies a shorter limit set in the environment", async () => {
    const target = await agent("suspended");
    await db().killDrill.create({ data: { agentId: target.id, startedById: owner.id, status: "passed", startedAt: new Date(Date.now() - 20 * DAY), latencyMs: 300 } });
    process.env.MANDATE_DRILL_MAX_AGE_DAYS = "14";
    try {
      const error = await refused(changeAgentStatus(admin, actorOf(admin), { agentId: target.id, to: "active" }));
      expect(error.message).toContain("within the last 14 days");
    } finally {
      delete process.env.MANDATE_DRILL_MAX_AGE_DAYS;
    }
    expect(await changeAgentStatus(admin, actorOf(admin), { agentId: target.id, to: "active" })).toMatchObject({ status: "active" });
  });
});

describe("suspending", () => {
  it("cancels the agent's waiting checkpoints and says so in the audit row", async () => {
    const target = await agent("active");
    const other = await agent("active");
    const checkpoints = [];
    for (const agentId of [target.id, other.id]) {
      const decision = await db().decision.create({ data: { agentId, action: "crm.contact.read", instruction: "x", effect: "pending", reason: "requires_approval" } });
      checkpoints.push(await db().checkpoint.create({ data: { decisionId: decision.id, agentId, digest: "d", expiresAt: new Date(Date.now() + 600_000) } }));
    }
    await changeAgentStatus(admin, actorOf(admin), { agentId: target.id, to: "suspended", reason: "Investigating odd reads." });
    expect(await db().checkpoint.findUniqueOrThrow({ where: { id: checkpoints[0]!.id } })).toMatchObject({ status: "cancelled", note: "Cancelled: the agent was suspended." });
    expect((await db().checkpoint.findUniqueOrThrow({ where: { id: checkpoints[1]!.id } })).status).toBe("pending");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { agentId: target.id, type: "agent.suspended" } });
    expect(audit.data).toMatchObject({ released: { cancelledCheckpoints: 1 } });
  });
});
