// Fleet-wide controls at the use cases: stop-all (one version bump, every waiting checkpoint
// cancelled) and resume, capability kills for one agent or for all and their restore — admins
// only, everyone else refused and audited.
import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { killCapability, restoreCapability } from "@/lib/kill/kill-capability";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";

interface Who {
  id: string;
  roles: Role[];
}

let admin: Who;
let owner: Who;
let others: Array<[string, Who]>;

const actorOf = (who: Who): Actor => ({ type: "person", personId: who.id, requestId: randomUUID(), via: "console" });

async function person(name: string, roles: Role[] = []): Promise<Who> {
  const row = await db().person.create({ data: { email: `${name}-${randomUUID().slice(0, 6)}@fleet.test`, name, roles } });
  return { id: row.id, roles };
}

async function agent(status: "active" | "retired" = "active") {
  return db().agent.create({
    data: { slug: `f-${randomUUID().slice(0, 8)}`, name: "Fleet", purpose: "Fleet tests.", status, deployedById: admin.id, owners: { create: [{ personId: owner.id }] } },
  });
}

async function pendingCheckpoint(agentId: string) {
  const decision = await db().decision.create({ data: { agentId, action: "x", instruction: "x", effect: "pending", reason: "requires_approval" } });
  return db().checkpoint.create({ data: { decisionId: decision.id, agentId, digest: "d", expiresAt: new Date(Date.now() + 600_000) } });
}

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const fleet = () => db().fleetState.findUniqueOrThrow({ where: { id: 1 } });

beforeAll(async () => {
  admin = await person("admin", ["admin"]);
  owner = await person("owner");
  others = [
    ["approver", await person("approver", ["approver"])],
    ["auditor", await person("auditor", ["auditor"])],
    ["agent owner", owner],
  ];
  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  await db().action.create({ data: { key: "crm.contact.delete", name: "Delete", systemId: system.id, category: "delete", risk: "high" } });
});

describe("stopAll and resumeAll", () => {
  beforeEach(async () => {
    await db().fleetState.update({ where: { id: 1 }, data: { stopped: false, mode: null, reason: null } });
  });

  it("stops the fleet, cancels every pending checkpoint, then resumes with a reason", async () => {
    const [a, b] = [await agent(), await agent()];
    const checkpoints = [await pendingCheckpoint(a.id), await pendingCheckpoint(b.id)];
    const before = await fleet();
    const stopped = await stopAll(admin, actorOf(admin), { mode: "forced", reason: "Suspected prompt injection campaign." });
    expect(stopped).toMatchObject({ changed: true, stopped: true, mode: "forced", version: before.version + 1 });
    expect(stopped.cancelledCheckpoints).toBeGreaterThanOrEqual(2);
    expect(await fleet()).toMatchObject({ stopped: true, mode: "forced", reason: "Suspected prompt injection campaign.", version: before.version + 1 });
    expect(await db().checkpoint.count({ where: { id: { in: checkpoints.map((c) => c.id) }, status: "cancelled" } })).toBe(2);
    expect(await db().checkpoint.count({ where: { status: "pending" } })).toBe(0);
    // Nothing revoked fleet-wide: a resume must not mean re-keying every agent.
    expect(await db().agent.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: "active", stateVersion: 1 });

    const change = await db().stateChange.findFirstOrThrow({ where: { kind: "stop_all" }, orderBy: { createdAt: "desc" } });
    expect(change).toMatchObject({ scope: "global", mode: "forced", agentId: null, actorPersonId: admin.id });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "fleet.stopped" }, orderBy: { id: "desc" } });
    expect(audit.data).toMatchObject({ before: { stopped: false, version: before.version }, after: { stopped: true, mode: "forced", version: before.version + 1 } });

    expect((await refused(resumeAll(admin, actorOf(admin), { reason: "" }))).fields?.[0]?.path).toBe("reason");
    const resumed = await resumeAll(admin, actorOf(admin), { reason: "Campaign blocked at the gateway." });
    expect(resumed).toMatchObject({ changed: true, stopped: false, mode: null, version: before.version + 2 });
    expect(await fleet()).toMatchObject({ stopped: false, mode: null, reason: "Campaign blocked at the gateway." });
    expect(await db().stateChange.count({ where: { kind: "resume_all", actorPersonId: admin.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { type: "fleet.resumed" } })).toBe(1);
    expect((await refused(resumeAll(admin, actorOf(admin), { reason: "Again." }))).code).toBe("conflict");
  });

  it("upgrades graceful to forced, and ignores a second stop of the same strength", async () => {
    await stopAll(admin, actorOf(admin), {});
    const graceful = await fleet();
    expect(graceful).toMatchObject({ stopped: true, mode: "graceful" });
    const audits = await db().auditEvent.count();
    expect(await stopAll(admin, actorOf(admin), { mode: "graceful" })).toMatchObject({ changed: false, version: graceful.version });
    expect(await db().auditEvent.count()).toBe(audits);
    expect(await stopAll(admin, actorOf(admin), { mode: "forced" })).toMatchObject({ changed: true, mode: "forced", version: graceful.version + 1 });
  });

  it.each([0, 1, 2])("refuses everyone but admins, auditing the attempt (case %i)", async (index) => {
    const [label, who] = others[index]!;
    const before = await fleet();
    expect((await refused(stopAll(who, actorOf(who), { reason: `Tried by ${label}.` }))).code).toBe("forbidden");
    expect(await fleet()).toEqual(before);
    expect(await db().auditEvent.count({ where: { type: "fleet.stop.refused", actorPersonId: who.id } })).toBe(1);
    await stopAll(admin, actorOf(admin), {});
    expect((await refused(resumeAll(who, actorOf(who), { reason: "Let it run." }))).code).toBe("forbidden");
    expect((await fleet()).stopped).toBe(true);
    expect(await db().auditEvent.count({ where: { type: "fleet.resume.refused", actorPersonId: who.id } })).toBe(1);
  });
});

describe("killCapability and restoreCapability", () => {
  it("switches an action off for one agent: its state version moves, the fleet's does not", async () => {
    const target = await agent();
    const fleetBefore = await fleet();
    const killed = await killCapability(admin, actorOf(admin), { capability: "crm.contact.delete", agentId: target.id, reason: "Deleting too much." });
    expect(killed).toMatchObject({ capability: "crm.contact.delete", agentId: target.id, agentSlug: target.slug });
    expect(await db().capabilityKill.findUniqueOrThrow({ where: { id: killed.killId } })).toMatchObject({ agentId: target.id, reason: "Deleting too much.", createdById: admin.id, restoredAt: null });
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).stateVersion).toBe(2);
    expect((await fleet()).version).toBe(fleetBefore.version);
    expect(await db().stateChange.findFirstOrThrow({ where: { kind: "capability_kill", agentId: target.id } })).toMatchObject({ scope: "capability", capability: "crm.contact.delete" });
    expect(await db().auditEvent.count({ where: { type: "capability.killed", subjectId: killed.killId, agentId: target.id } })).toBe(1);

    expect((await refused(killCapability(admin, actorOf(admin), { capability: "crm.contact.delete", agentId: target.id }))).code).toBe("conflict");

    await restoreCapability(admin, actorOf(admin), { killId: killed.killId, reason: "Bug fixed." });
    expect(await db().capabilityKill.findUniqueOrThrow({ where: { id: killed.killId } })).toMatchObject({ restoredById: admin.id, restoredAt: expect.any(Date) });
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).stateVersion).toBe(3);
    expect(await db().auditEvent.count({ where: { type: "capability.restored", subjectId: killed.killId } })).toBe(1);
    expect((await refused(restoreCapability(admin, actorOf(admin), { killId: killed.killId }))).code).toBe("conflict");
    // Restored, it may be switched off again.
    await killCapability(admin, actorOf(admin), { capability: "crm.contact.delete", agentId: target.id });
  });

  it("switches a category off for every agent through the fleet version", async () => {
    const target = await agent();
    const fleetBefore = await fleet();
    const killed = await killCapability(admin, actorOf(admin), { capability: "financial" });
    expect(killed).toMatchObject({ agentId: null, agentSlug: null });
    expect((await fleet()).version).toBe(fleetBefore.version + 1);
    expect((await db().agent.findUniqueOrThrow({ where: { id: target.id } })).stateVersion).toBe(1);
    expect(await db().stateChange.findFirstOrThrow({ where: { kind: "capability_kill", agentId: null } })).toMatchObject({ capability: "financial" });
    await restoreCapability(admin, actorOf(admin), { killId: killed.killId });
    expect((await fleet()).version).toBe(fleetBefore.version + 2);
  });

  it("refuses unknown capabilities, retired or unknown agents and bad input, writing nothing", async () => {
    const retired = await agent("retired");
    const rows = () => Promise.all([db().capabilityKill.count(), db().auditEvent.count(), fleet()]);
    const before = await rows();
    expect((await refused(killCapability(admin, actorOf(admin), { capability: "crm.contact.explode" }))).fields?.[0]?.path).toBe("capability");
    expect((await refused(killCapability(admin, actorOf(admin), { capability: "" }))).code).toBe("validation_failed");
    expect((await refused(killCapability(admin, actorOf(admin), { capability: "read", agentId: retired.id }))).code).toBe("conflict");
    expect((await refused(killCapability(admin, actorOf(admin), { capability: "read", agentId: randomUUID() }))).code).toBe("not_found");
    expect((await refused(restoreCapability(admin, actorOf(admin), { killId: randomUUID() }))).code).toBe("not_found");
    expect((await refused(restoreCapability(admin, actorOf(admin), { killId: "x" }))).code).toBe("validation_failed");
    expect(await rows()).toEqual(before);
  });

  it.each([0, 1, 2])("is for admins only; refusals are audited (case %i)", async (index) => {
    const [, who] = others[index]!;
    const target = await agent();
    expect((await refused(killCapability(who, actorOf(who), { capability: "delete", agentId: target.id }))).code).toBe("forbidden");
    expect((await refused(killCapability(who, actorOf(who), { capability: "delete" }))).code).toBe("forbidden");
    expect(await db().capabilityKill.count({ where: { createdById: who.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { type: "capability.kill.refused", actorPersonId: who.id } })).toBe(2);
    expect(await db().auditEvent.count({ where: { type: "capability.kill.refused", actorPersonId: who.id, agentId: target.id } })).toBe(1);
    const kill = await killCapability(admin, actorOf(admin), { capability: "delete", agentId: target.id });
    expect((await refused(restoreCapability(who, actorOf(who), { killId: kill.killId }))).code).toBe("forbidden");
    expect((await db().capabilityKill.findUniqueOrThrow({ where: { id: kill.killId } })).restoredAt).toBeNull();
    expect(await db().auditEvent.count({ where: { type: "capability.restore.refused", actorPersonId: who.id } })).toBe(1);
  });
});
