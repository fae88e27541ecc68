// The agent lifecycle and maturity: every from → to pair, the activation checks, what retiring
// ends, concurrent changes, and promotion/demotion with a reason.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIVATION_CHECKS, loadActivationFacts, passedDrillWithin, unmetActivationChecks } from "@/lib/agents/activation-checks";
import { changeAgentStatus } from "@/lib/agents/change-agent-status";
import { changeMaturity } from "@/lib/agents/change-maturity";
import type { Actor } from "@/lib/audit/record";
import { createCredential } from "@/lib/credentials/create-credential";
import { db } from "@/lib/db/client";
import { CHANGE_CHANNEL } from "@/lib/db/notify";
import { AgentStatus, type Maturity, type Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

const STATUSES = Object.values(AgentStatus);
const ALLOWED: Record<string, string> = {
  "draft→active": "activate",
  "draft→retired": "retire",
  "active→suspended": "suspend",
  "active→retired": "retire",
  "suspended→active": "activate",
  "suspended→retired": "retire",
  "killed→retired": "retire",
};

let adminId: string;
let ownerId: string;
let actionId: string;
let admin: { id: string; roles: Role[] };
let actor: Actor;

beforeAll(async () => {
  adminId = (await db().person.create({ data: { email: "admin@lifecycle.test", name: "Admin", roles: ["admin"] } })).id;
  ownerId = (await db().person.create({ data: { email: "owner@lifecycle.test", name: "Owner" } })).id;
  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  actionId = (await db().action.create({ data: { key: "crm.contact.read", name: "Read", systemId: system.id, category: "read", risk: "low" } })).id;
  admin = { id: adminId, roles: ["admin"] };
  actor = { type: "person", personId: adminId, via: "console" };
});

async function agent(options: { status?: AgentStatus; maturity?: Maturity; owners?: boolean; lines?: boolean; drill?: boolean } = {}) {
  const row = await db().agent.create({
    data: {
      slug: `life-${randomUUID().slice(0, 8)}`,
      name: "Lifecycle",
      purpose: "Exercises the lifecycle.",
      deployedById: adminId,
      status: options.status ?? "draft",
      maturity: options.maturity ?? "intern",
      owners: options.owners === false ? undefined : { create: [{ personId: ownerId }] },
      permissions: options.lines === false ? undefined : { create: [{ actionId, effect: "allow", justification: "Reads contacts." }] },
      // Activation needs a passed kill drill (issue 6); tests about other checks start with one.
      drills: options.drill === false ? undefined : { create: [{ startedById: ownerId, status: "passed", latencyMs: 300 }] },
    },
  });
  return row.id;
}

const written = (agentId: string) =>
  Promise.all([db().stateChange.count({ where: { agentId } }), db().auditEvent.count({ where: { agentId } }), db().agent.findUniqueOrThrow({ where: { id: agentId } })]);

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("changeAgentStatus: the transition table", () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to, kind: ALLOWED[`${from}→${to}`] ?? "refused" })));

  it.each(pairs)("$from → $to: $kind", async ({ from, to, kind }) => {
    const agentId = await agent({ status: from });
    const before = await written(agentId);
    const attempt = changeAgentStatus(admin, actor, { agentId, to, reason: "Planned change for the test." });
    if (kind === "refused") {
      const error = await refused(attempt);
      expect(error.code).toBe("conflict");
      // Killing and reviving are the kill switch's; the refusal says where to go instead.
      if (to === "killed" && from !== "killed" && from !== "retired") expect(error.message).toMatch(/kill switch/);
      if (from === "killed" && (to === "active" || to === "suspended")) expect(error.message).toMatch(/revive/);
      expect(await written(agentId)).toEqual(before);
      return;
    }
    const result = await attempt;
    expect(result).toMatchObject({ kind, status: to, stateVersion: before[2].stateVersion + 1 });
    const after = await db().agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(after).toMatchObject({ status: to, stateVersion: before[2].stateVersion + 1, stateReason: "Planned change for the test.", stateMode: null });
    expect(after.stateChangedAt.getTime()).toBeGreaterThan(before[2].stateChangedAt.getTime());
    const changes = await db().stateChange.findMany({ where: { agentId } });
    expect(changes).toEqual([expect.objectContaining({ kind, scope: "agent", fromStatus: from, toStatus: to, actorPersonId: adminId, reason: "Planned change for the test." })]);
    const events = await db().auditEvent.findMany({ where: { agentId } });
    expect(events).toEqual([
      expect.objectContaining({
        type: `agent.${kind === "activate" ? "activated" : kind === "suspend" ? "suspended" : "retired"}`,
        actorPersonId: adminId,
        data: expect.objectContaining({ before: { status: from, stateVersion: 1 }, after: { status: to, stateVersion: 2 }, reason: "Planned change for the test." }),
      }),
    ]);
  });

  it("needs a reason to suspend or retire, not to activate", async () => {
    for (const [status, to] of [["active", "suspended"], ["draft", "retired"]] as const) {
      const agentId = await agent({ status });
      const before = await written(agentId);
      for (const reason of [undefined, "  ", "no"]) {
        const error = await refused(changeAgentStatus(admin, actor, { agentId, to, reason }));
        expect(error.code).toBe("validation_failed");
        expect(error.fields?.[0]?.path).toBe("reason");
      }
      expect(await written(agentId)).toEqual(before);
    }
    const agentId = await agent();
    await changeAgentStatus(admin, actor, { agentId, to: "active" });
    expect(await db().agent.findUniqueOrThrow({ where: { id: agentId } })).toMatchObject({ status: "active", stateReason: null });
    expect((await db().stateChange.findFirstOrThrow({ where: { agentId } })).reason).toBe("");
  });

  it("refuses a change made against a status that has moved on", async () => {
    const agentId = await agent({ status: "active" });
    const error = await refused(changeAgentStatus(admin, actor, { agentId, to: "suspended", reason: "Looks odd.", expectedStatus: "draft" }));
    expect(error.code).toBe("conflict");
    expect((await db().agent.findUniqueOrThrow({ where: { id: agentId } })).status).toBe("active");
  });

  it("refuses an unknown agent with 404 and a malformed request with 400", async () => {
    expect((await refused(changeAgentStatus(admin, actor, { agentId: randomUUID(), to: "active" }))).code).toBe("not_found");
    expect((await refused(changeAgentStatus(admin, actor, { agentId: "x", to: "active" }))).code).toBe("validation_failed");
    expect((await refused(changeAgentStatus(admin, actor, { agentId: randomUUID(), to: "paused" }))).code).toBe("validation_failed");
  });
});

describe("activation checks", () => {
  it("refuses activation without a business owner or an empty list, naming each unmet check", async () => {
    const bare = await agent({ owners: false, lines: false });
    const before = await written(bare);
    const error = await refused(changeAgentStatus(admin, actor, { agentId: bare, to: "active" }));
    expect(error.code).toBe("conflict");
    expect(error.fields?.map((field) => field.path)).toEqual(["checks.owner", "checks.written_list"]);
    expect(await written(bare)).toEqual(before);

    const noList = await agent({ status: "suspended", lines: false });
    const again = await refused(changeAgentStatus(admin, actor, { agentId: noList, to: "active" }));
    expect(again.fields?.map((field) => field.path)).toEqual(["checks.written_list"]);
  });

  it("needs a passed kill drill within the age limit", async () => {
    const agentId = await agent({ drill: false });
    expect(unmetActivationChecks(await loadActivationFacts(db(), agentId)).map((check) => check.key)).toEqual(["kill_drill"]);
    expect(ACTIVATION_CHECKS.map((check) => check.key)).toEqual(["owner", "written_list", "kill_drill"]);

    await db().killDrill.create({ data: { agentId, startedById: ownerId, status: "passed", startedAt: new Date(Date.now() - 91 * 86_400_000) } });
    expect(unmetActivationChecks(await loadActivationFacts(db(), agentId))).toHaveLength(1);
    expect(passedDrillWithin(await loadActivationFacts(db(), agentId), 92)).toBe(true);
    await db().killDrill.create({ data: { agentId, startedById: ownerId, status: "passed", startedAt: new Date(Date.now() - 89 * 86_400_000) } });
    expect(unmetActivationChecks(await loadActivationFacts(db(), agentId))).toEqual([]);
  });
});

describe("retiring", () => {
  it("revokes every live key, ends delegations and cancels waiting checkpoints, in the same change", async () => {
    const agentId = await agent({ status: "active" });
    const other = await agent({ status: "active" });
    const keys = await db().$transaction(async (tx) => [
      await createCredential(tx, actor, { agentId, label: "one" }),
      await createCredential(tx, actor, { agentId, label: "two" }),
      await createCredential(tx, actor, { agentId: other, label: "other" }),
    ]);
    const earlier = new Date(Date.now() - 60_000);
    await db().credential.update({ where: { id: keys[1]!.id }, data: { revokedAt: earlier } });
    const expires = new Date(Date.now() + 3_600_000);
    await db().delegation.create({ data: { fromAgentId: agentId, toAgentId: other, actions: ["crm.contact.read"], tokenHash: "a".repeat(64), expiresAt: expires } });
    await db().delegation.create({ data: { fromAgentId: other, toAgentId: agentId, actions: ["crm.contact.read"], tokenHash: "b".repeat(64), expiresAt: expires } });
    const decision = await db().decision.create({ data: { agentId, action: "crm.contact.read", instruction: "x", effect: "pending", reason: "needs_approval" } });
    await db().checkpoint.create({ data: { decisionId: decision.id, agentId, digest: "d", expiresAt: expires } });

    await changeAgentStatus(admin, actor, { agentId, to: "retired", reason: "Replaced by a new agent." });

    const credentials = await db().credential.findMany({ where: { agentId }, orderBy: { createdAt: "asc" } });
    expect(credentials.every((credential) => credential.revokedAt !== null)).toBe(true);
    expect(credentials.find((credential) => credential.id === keys[1]!.id)?.revokedAt).toEqual(earlier);
    expect(credentials.find((credential) => credential.id === keys[0]!.id)?.revokedById).toBe(adminId);
    expect((await db().credential.findUniqueOrThrow({ where: { id: keys[2]!.id } })).revokedAt).toBeNull();
    expect(await db().delegation.count({ where: { revokedAt: null, OR: [{ fromAgentId: agentId }, { toAgentId: agentId }] } })).toBe(0);
    expect((await db().checkpoint.findFirstOrThrow({ where: { agentId } })).status).toBe("cancelled");
    const event = await db().auditEvent.findFirstOrThrow({ where: { agentId, type: "agent.retired" } });
    expect(event.data).toMatchObject({ released: { revokedKeys: [keys[0]!.prefix], endedDelegations: 2, cancelledCheckpoints: 1 } });
    const revocation = await db().auditEvent.findFirstOrThrow({ where: { agentId, type: "credential.revoked_all" } });
    expect(revocation).toMatchObject({ actorPersonId: adminId, data: { prefixes: [keys[0]!.prefix] } });

    // Retirement is final.
    for (const to of ["active", "suspended", "draft"] as const) {
      expect((await refused(changeAgentStatus(admin, actor, { agentId, to, reason: "Bring it back." }))).code).toBe("conflict");
    }
  });
});

describe("change notifications", () => {
  it("tells other instances about a committed change, and says nothing about a refused one", async () => {
    const listener = new pg.Client(process.env.DATABASE_URL);
    await listener.connect();
    const received: unknown[] = [];
    listener.on("notification", (message) => received.push(JSON.parse(message.payload ?? "null")));
    await listener.query(`listen ${CHANGE_CHANNEL}`);
    try {
      const agentId = await agent({ status: "active" });
      await refused(changeAgentStatus(admin, actor, { agentId, to: "suspended" }));
      await changeMaturity(admin, actor, { agentId, change: "promote", reason: "Ready for more trust." });
      await changeAgentStatus(admin, actor, { agentId, to: "suspended", reason: "Investigating." });
      await expect.poll(() => received.length).toBe(2);
      expect(received).toEqual([{ kind: "agent", id: agentId, agentId }, { kind: "agent", id: agentId, agentId }]);
    } finally {
      await listener.end();
    }
  });
});

describe("concurrent changes", () => {
  it("applies one of two simultaneous activations and bumps the state version once", async () => {
    const agentId = await agent();
    const results = await Promise.allSettled([
      changeAgentStatus(admin, actor, { agentId, to: "active" }),
      changeAgentStatus(admin, actor, { agentId, to: "active" }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((result) => result.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    expect(await db().agent.findUniqueOrThrow({ where: { id: agentId } })).toMatchObject({ status: "active", stateVersion: 2 });
    expect(await db().stateChange.count({ where: { agentId } })).toBe(1);
    expect(await db().auditEvent.count({ where: { agentId } })).toBe(1);
  });

  it("applies one of a simultaneous suspend and retire made on the same view of the agent", async () => {
    const agentId = await agent({ status: "active" });
    // Both people saw "active"; the changes run one after the other, and the second finds the
    // agent no longer as its person saw it.
    const results = await Promise.allSettled([
      changeAgentStatus(admin, actor, { agentId, to: "suspended", reason: "Investigating.", expectedStatus: "active" }),
      changeAgentStatus(admin, actor, { agentId, to: "retired", reason: "No longer needed.", expectedStatus: "active" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect((await db().agent.findUniqueOrThrow({ where: { id: agentId } })).stateVersion).toBe(2);
    expect(await db().stateChange.count({ where: { agentId } })).toBe(1);
  });
});

describe("changeMaturity", () => {
  it("promotes and demotes one step, or to a level, with the reason in the audit", async () => {
    const agentId = await agent();
    expect(await changeMaturity(admin, actor, { agentId, change: "promote", reason: "Two clean weeks as an intern." })).toMatchObject({ maturity: "junior" });
    expect(await changeMaturity(admin, actor, { agentId, to: "principal", reason: "Signed off by the governance board." })).toMatchObject({ maturity: "principal" });
    expect(await changeMaturity(admin, actor, { agentId, change: "demote", reason: "Denial burst on Tuesday." })).toMatchObject({ maturity: "senior" });
    const events = await db().auditEvent.findMany({ where: { agentId, type: "agent.maturity_changed" }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.data)).toEqual([
      expect.objectContaining({ before: { maturity: "intern" }, after: { maturity: "junior" }, direction: "promote", reason: "Two clean weeks as an intern." }),
      expect.objectContaining({ before: { maturity: "junior" }, after: { maturity: "principal" }, direction: "promote" }),
      expect.objectContaining({ before: { maturity: "principal" }, after: { maturity: "senior" }, direction: "demote", reason: "Denial burst on Tuesday." }),
    ]);
    expect(events.every((event) => event.actorPersonId === adminId)).toBe(true);
  });

  it.each([
    ["without a reason", { change: "promote" }, "validation_failed"],
    ["with a reason under 10 characters", { change: "promote", reason: " too short " }, "validation_failed"],
    ["with both a step and a level", { change: "promote", to: "senior", reason: "Enough of a reason." }, "validation_failed"],
    ["below intern", { change: "demote", reason: "Enough of a reason." }, "conflict"],
    ["to the level it has", { to: "intern", reason: "Enough of a reason." }, "conflict"],
  ])("refuses a change %s and writes nothing", async (_label, change, code) => {
    const agentId = await agent();
    const before = await written(agentId);
    expect((await refused(changeMaturity(admin, actor, { agentId, ...change }))).code).toBe(code);
    expect(await written(agentId)).toEqual(before);
  });

  it("refuses promotion past principal, a retired agent, and non-admins", async () => {
    const top = await agent({ maturity: "principal" });
    expect((await refused(changeMaturity(admin, actor, { agentId: top, change: "promote", reason: "Even higher, please." }))).code).toBe("conflict");
    const retired = await agent({ status: "retired" });
    expect((await refused(changeMaturity(admin, actor, { agentId: retired, change: "promote", reason: "Promote it anyway." }))).code).toBe("conflict");
    const agentId = await agent();
    const before = await written(agentId);
    const owner = { id: ownerId, roles: ["approver", "auditor"] as Role[] };
    const error = await refused(changeMaturity(owner, { type: "person", personId: ownerId }, { agentId, change: "promote", reason: "I own it, after all." }));
    expect(error.code).toBe("forbidden");
    expect(await written(agentId)).toEqual(before);
  });
});
