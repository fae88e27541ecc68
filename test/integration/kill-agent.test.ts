// The kill switch on one agent, at the use cases (the console's actions call these): what each
// mode ends in the same transaction, pressing it twice, revive back to suspended at intern (or
// kept by an admin), and who may press it — refusals forbidden and audited.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { createCredential } from "@/lib/credentials/create-credential";
import { db } from "@/lib/db/client";
import { CHANGE_CHANNEL } from "@/lib/db/notify";
import type { AgentStatus, Maturity, Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { killAgent } from "@/lib/kill/kill-agent";
import { reviveAgent } from "@/lib/kill/revive-agent";

interface Who {
  id: string;
  roles: Role[];
}

let admin: Who;
let owner: Who;
let techOwner: Who;
let approver: Who;
let auditor: Who;
let otherOwner: Who;

const actorOf = (who: Who): Actor => ({ type: "person", personId: who.id, requestId: randomUUID(), via: "console" });

async function person(name: string, roles: Role[] = []): Promise<Who> {
  const row = await db().person.create({ data: { email: `${name}-${randomUUID().slice(0, 6)}@kill.test`, name, roles } });
  return { id: row.id, roles };
}

beforeAll(async () => {
  admin = await person("admin", ["admin"]);
  owner = await person("owner");
  techOwner = await person("tech");
  approver = await person("approver", ["approver"]);
  auditor = await person("auditor", ["auditor"]);
  otherOwner = await person("other-owner");
  // "Owner of another agent" owns one agent, never the one under test.
  await db().agentOwner.create({ data: { agentId: (await agent()).id, personId: otherOwner.id } });
});

async function agent(options: { status?: AgentStatus; maturity?: Maturity } = {}) {
  const row = await db().agent.create({
    data: {
      slug: `k-${randomUUID().slice(0, 8)}`,
      name: "Killable",
      purpose: "Gets killed in tests.",
      status: options.status ?? "active",
      maturity: options.maturity ?? "senior",
      deployedById: admin.id,
      technicalOwnerId: techOwner.id,
      owners: { create: [{ personId: owner.id }] },
    },
  });
  return row;
}

/** Keys, delegations both ways and pending checkpoints: everything a kill may end. */
async function holdings(agentId: string) {
  const other = await agent();
  const keys = await db().$transaction(async (tx) => [
    await createCredential(tx, actorOf(admin), { agentId, label: "one" }),
    await createCredential(tx, actorOf(admin), { agentId, label: "two" }),
    await createCredential(tx, actorOf(admin), { agentId: other.id, label: "other" }),
  ]);
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db().delegation.create({ data: { fromAgentId: agentId, toAgentId: other.id, actions: ["x"], tokenHash: randomUUID(), expiresAt } });
  await db().delegation.create({ data: { fromAgentId: other.id, toAgentId: agentId, actions: ["x"], tokenHash: randomUUID(), expiresAt } });
  const unrelated = await db().delegation.create({ data: { fromAgentId: other.id, toAgentId: other.id, actions: ["x"], tokenHash: randomUUID(), expiresAt } });
  const checkpoints = [];
  for (const target of [agentId, agentId, other.id]) {
    const decision = await db().decision.create({ data: { agentId: target, action: "x", instruction: "x", effect: "pending", reason: "requires_approval" } });
    checkpoints.push(await db().checkpoint.create({ data: { decisionId: decision.id, agentId: target, digest: "d", expiresAt } }));
  }
  return { other, keys, unrelated, checkpoints };
}

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("killAgent: graceful", () => {
  it("stops the agent, cancels its checkpoints and ends its delegations, but keeps its keys", async () => {
    const target = await agent();
    const { keys, other, unrelated, checkpoints } = await holdings(target.id);
    const result = await killAgent(owner, actorOf(owner), { agentId: target.id });
    expect(result).toMatchObject({ changed: true, mode: "graceful", stateVersion: 2, released: { revokedKeys: [], endedDelegations: 2, cancelledCheckpoints: 2 } });

    const after = await db().agent.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toMatchObject({ status: "killed", stateMode: "graceful", stateReason: null, stateVersion: 2 });
    expect(await db().credential.count({ where: { agentId: target.id, revokedAt: null } })).toBe(2);
    expect(await db().credential.count({ where: { agentId: other.id, revokedAt: null } })).toBe(1);
    expect(await db().delegation.count({ where: { revokedAt: null, OR: [{ fromAgentId: target.id }, { toAgentId: target.id }] } })).toBe(0);
    expect((await db().delegation.findUniqueOrThrow({ where: { id: unrelated.id } })).revokedAt).toBeNull();
    const states = await db().checkpoint.findMany({ where: { id: { in: checkpoints.map((c) => c.id) } }, orderBy: { agentId: "asc" } });
    expect(states.filter((c) => c.agentId === target.id).map((c) => [c.status, c.note])).toEqual([
      ["cancelled", "Cancelled: the agent was killed (graceful)."],
      ["cancelled", "Cancelled: the agent was killed (graceful)."],
    ]);
    expect(states.find((c) => c.agentId === other.id)?.status).toBe("pending");
    expect(keys).toHaveLength(3);

    expect(await db().stateChange.findMany({ where: { agentId: target.id } })).toEqual([
      expect.objectContaining({ kind: "kill", scope: "agent", mode: "graceful", fromStatus: "active", toStatus: "killed", reason: "", actorPersonId: owner.id }),
    ]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { agentId: target.id, type: "agent.killed" } });
    expect(audit).toMatchObject({ actorPersonId: owner.id, subjectId: target.id });
    expect(audit.data).toMatchObject({
      before: { status: "active", mode: null, stateVersion: 1 },
      after: { status: "killed", mode: "graceful", stateVersion: 2 },
      reason: null,
      released: { revokedKeys: [], endedDelegations: 2, cancelledCheckpoints: 2 },
    });
    expect(await db().auditEvent.count({ where: { agentId: target.id, type: "credential.revoked_all" } })).toBe(0);
  });

  it("kills a suspended agent too, and keeps the reason given", async () => {
    const target = await agent({ status: "suspended" });
    await killAgent(techOwner, actorOf(techOwner), { agentId: target.id, reason: "  Leaking data to a pastebin.  " });
    expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ status: "killed", stateReason: "Leaking data to a pastebin." });
    expect((await db().stateChange.findFirstOrThrow({ where: { agentId: target.id } })).fromStatus).toBe("suspended");
  });
});

describe("killAgent: forced", () => {
  it("also revokes every key, in the same transaction and audit trail", async () => {
    const target = await agent();
    const { keys, other } = await holdings(target.id);
    const result = await killAgent(admin, actorOf(admin), { agentId: target.id, mode: "forced", reason: "Runaway loop." });
    expect(result.released?.revokedKeys.sort()).toEqual([keys[0]!.prefix, keys[1]!.prefix].sort());
    expect(await db().credential.count({ where: { agentId: target.id, revokedAt: null } })).toBe(0);
    expect(await db().credential.count({ where: { agentId: other.id, revokedAt: null } })).toBe(1);
    expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ status: "killed", stateMode: "forced", stateReason: "Runaway loop." });
    const revocation = await db().auditEvent.findFirstOrThrow({ where: { agentId: target.id, type: "credential.revoked_all" } });
    expect(revocation).toMatchObject({ actorPersonId: admin.id });
    expect(revocation.data).toMatchObject({ reason: "The agent was killed (forced): Runaway loop." });
    expect(await db().checkpoint.count({ where: { agentId: target.id, status: "pending" } })).toBe(0);
  });
});

describe("killAgent: pressing it again", () => {
  it("changes nothing for the same mode, or for graceful over forced", async () => {
    const target = await agent();
    await killAgent(owner, actorOf(owner), { agentId: target.id, mode: "forced" });
    const before = await Promise.all([db().agent.findUniqueOrThrow({ where: { id: target.id } }), db().stateChange.count(), db().auditEvent.count()]);
    for (const mode of ["forced", "graceful"] as const) {
      expect(await killAgent(owner, actorOf(owner), { agentId: target.id, mode })).toMatchObject({ changed: false, mode: "forced", stateVersion: 2 });
    }
    expect(await Promise.all([db().agent.findUniqueOrThrow({ where: { id: target.id } }), db().stateChange.count(), db().auditEvent.count()])).toEqual(before);
  });

  it("upgrades a graceful kill to forced: the keys go then, the first reason stays", async () => {
    const target = await agent();
    await holdings(target.id);
    await killAgent(owner, actorOf(owner), { agentId: target.id, reason: "Odd behaviour." });
    expect(await db().credential.count({ where: { agentId: target.id, revokedAt: null } })).toBe(2);
    const result = await killAgent(techOwner, actorOf(techOwner), { agentId: target.id, mode: "forced" });
    expect(result).toMatchObject({ changed: true, mode: "forced", stateVersion: 3 });
    expect(await db().credential.count({ where: { agentId: target.id, revokedAt: null } })).toBe(0);
    expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ stateMode: "forced", stateReason: "Odd behaviour.", stateVersion: 3 });
    const changes = await db().stateChange.findMany({ where: { agentId: target.id }, orderBy: { createdAt: "asc" } });
    expect(changes.map((c) => [c.mode, c.fromStatus, c.toStatus, c.reason])).toEqual([
      ["graceful", "active", "killed", "Odd behaviour."],
      ["forced", "killed", "killed", "Graceful kill made forced."],
    ]);
  });

  it("applies one of two simultaneous kills", async () => {
    const target = await agent();
    const results = await Promise.all([killAgent(owner, actorOf(owner), { agentId: target.id }), killAgent(admin, actorOf(admin), { agentId: target.id })]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(await db().stateChange.count({ where: { agentId: target.id } })).toBe(1);
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).stateVersion).toBe(2);
  });

  it("refuses draft and retired agents, an unknown agent and a malformed request, writing nothing", async () => {
    for (const status of ["draft", "retired"] as const) {
      const target = await agent({ status });
      const error = await refused(killAgent(admin, actorOf(admin), { agentId: target.id }));
      expect(error.code).toBe("conflict");
      expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ status, stateVersion: 1 });
    }
    const audits = await db().auditEvent.count();
    expect((await refused(killAgent(admin, actorOf(admin), { agentId: randomUUID() }))).code).toBe("not_found");
    expect((await refused(killAgent(admin, actorOf(admin), { agentId: "nope" }))).code).toBe("validation_failed");
    const target = await agent();
    expect((await refused(killAgent(admin, actorOf(admin), { agentId: target.id, mode: "brutal" }))).fields?.[0]?.path).toBe("mode");
    expect((await refused(killAgent(admin, actorOf(admin), { agentId: target.id, reason: "x".repeat(1001) }))).fields?.[0]?.path).toBe("reason");
    expect(await db().auditEvent.count()).toBe(audits);
  });

  it("tells every instance at commit", async () => {
    const listener = new pg.Client(process.env.DATABASE_URL);
    await listener.connect();
    const received: unknown[] = [];
    listener.on("notification", (message) => received.push(JSON.parse(message.payload ?? "null")));
    await listener.query(`listen ${CHANGE_CHANNEL}`);
    try {
      const target = await agent();
      await holdings(target.id);
      received.length = 0;
      await killAgent(owner, actorOf(owner), { agentId: target.id, mode: "forced" });
      await expect.poll(() => received.length).toBe(4);
      expect(received).toEqual(
        expect.arrayContaining([
          { kind: "agent", id: target.id, agentId: target.id },
          { kind: "credential", agentId: target.id },
          { kind: "delegation", agentId: target.id },
          { kind: "checkpoint", agentId: target.id },
        ]),
      );
    } finally {
      await listener.end();
    }
  });
});

describe("reviveAgent", () => {
  it("brings a killed agent back suspended, at intern, with the reason, audited in one row", async () => {
    const target = await agent({ maturity: "principal" });
    await killAgent(owner, actorOf(owner), { agentId: target.id, mode: "forced" });
    const result = await reviveAgent(owner, actorOf(owner), { agentId: target.id, reason: "Root cause fixed: the prompt loop." });
    expect(result).toEqual({ slug: target.slug, maturity: "intern", maturityKept: false, stateVersion: 3 });
    expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({
      status: "suspended",
      maturity: "intern",
      stateMode: null,
      stateReason: "Root cause fixed: the prompt loop.",
      stateVersion: 3,
    });
    const change = await db().stateChange.findFirstOrThrow({ where: { agentId: target.id, kind: "revive" } });
    expect(change).toMatchObject({ scope: "agent", fromStatus: "killed", toStatus: "suspended", actorPersonId: owner.id, reason: "Root cause fixed: the prompt loop." });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { agentId: target.id, type: "agent.revived" } });
    expect(audit.data).toMatchObject({
      before: { status: "killed", mode: "forced", maturity: "principal", stateVersion: 2 },
      after: { status: "suspended", mode: null, maturity: "intern", stateVersion: 3 },
      maturity: { kept: false, reset: true },
    });
    // Keys revoked by the forced kill stay revoked.
    expect(await db().credential.count({ where: { agentId: target.id, revokedAt: null } })).toBe(0);
  });

  it("keeps the maturity when an admin says why", async () => {
    const target = await agent({ maturity: "senior" });
    await killAgent(owner, actorOf(owner), { agentId: target.id });
    const result = await reviveAgent(admin, actorOf(admin), { agentId: target.id, reason: "False alarm.", keepMaturity: { reason: "The kill was a drill gone wrong, not an incident." } });
    expect(result).toMatchObject({ maturity: "senior", maturityKept: true });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { agentId: target.id, type: "agent.revived" } });
    expect(audit.data).toMatchObject({ maturity: { kept: true, reason: "The kill was a drill gone wrong, not an incident." }, after: { maturity: "senior" } });
  });

  it("needs a reason, refuses an agent that is not killed, and does not activate", async () => {
    const target = await agent();
    await killAgent(owner, actorOf(owner), { agentId: target.id });
    for (const reason of [undefined, "", "  ", "no"]) {
      const error = await refused(reviveAgent(owner, actorOf(owner), { agentId: target.id, reason }));
      expect(error.code).toBe("validation_failed");
      expect(error.fields?.[0]?.path).toBe("reason");
    }
    const short = await refused(reviveAgent(admin, actorOf(admin), { agentId: target.id, reason: "Fixed.", keepMaturity: { reason: "ok" } }));
    expect(short.fields?.[0]?.path).toBe("keepMaturity.reason");
    await reviveAgent(owner, actorOf(owner), { agentId: target.id, reason: "Fixed." });
    const again = await refused(reviveAgent(owner, actorOf(owner), { agentId: target.id, reason: "Fixed again." }));
    expect(again.code).toBe("conflict");
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).status).toBe("suspended");
  });
});

describe("who holds the switch", () => {
  const PEOPLE = ["admin", "owner", "technical owner", "approver", "auditor", "owner of another agent"] as const;
  const whoIs = (label: (typeof PEOPLE)[number]) =>
    ({ admin, owner, "technical owner": techOwner, approver, auditor, "owner of another agent": otherOwner })[label];
  const KILL = new Set(["admin", "owner", "technical owner"]);
  const REVIVE = new Set(["admin", "owner"]);

  it.each(PEOPLE)("kill by %s", async (label) => {
    const who = whoIs(label);
    const target = await agent();
    const attempt = killAgent(who, actorOf(who), { agentId: target.id, reason: "Testing the matrix." });
    if (KILL.has(label)) {
      expect((await attempt).changed).toBe(true);
      return;
    }
    expect((await refused(attempt)).code).toBe("forbidden");
    expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ status: "active", stateVersion: 1 });
    expect(await db().stateChange.count({ where: { agentId: target.id } })).toBe(0);
    const audits = await db().auditEvent.findMany({ where: { agentId: target.id } });
    expect(audits).toEqual([expect.objectContaining({ type: "agent.kill.refused", actorPersonId: who.id, subjectType: "agent", subjectId: target.id })]);
    expect(audits[0]!.data).toMatchObject({ mode: "graceful", reason: "Testing the matrix.", refused: expect.any(String) });
  });

  it.each(PEOPLE)("revive by %s", async (label) => {
    const who = whoIs(label);
    const target = await agent();
    await killAgent(admin, actorOf(admin), { agentId: target.id });
    const attempt = reviveAgent(who, actorOf(who), { agentId: target.id, reason: "Testing the matrix." });
    if (REVIVE.has(label)) {
      expect((await attempt).maturity).toBe("intern");
      return;
    }
    expect((await refused(attempt)).code).toBe("forbidden");
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).status).toBe("killed");
    expect(await db().auditEvent.count({ where: { agentId: target.id, type: "agent.revive.refused", actorPersonId: who.id } })).toBe(1);
  });

  it("lets only an admin keep the maturity: an owner asking is refused and audited", async () => {
    const target = await agent({ maturity: "senior" });
    await killAgent(owner, actorOf(owner), { agentId: target.id });
    const error = await refused(reviveAgent(owner, actorOf(owner), { agentId: target.id, reason: "Fixed.", keepMaturity: { reason: "It was not its fault at all." } }));
    expect(error.code).toBe("forbidden");
    expect(await db().agent.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ status: "killed", maturity: "senior" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { agentId: target.id, type: "agent.revive.refused" } });
    expect(audit.data).toMatchObject({ keepMaturity: true });
  });
});
