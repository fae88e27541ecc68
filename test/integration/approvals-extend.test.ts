// extendCheckpoint against a real PostgreSQL: only within the asking policy's limit, at most once,
// audited before → after and announced; never by the agent's owners or by auditors; never for a
// checkpoint that already ended or is overdue (that one is recorded as expired).
import { beforeAll, describe, expect, it } from "vitest";
import { readCheckpointStatus } from "@/lib/approvals/checkpoint-status";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { extendCheckpoint } from "@/lib/approvals/extend-checkpoint";
import { db } from "@/lib/db/client";
import { createChangeListener, type ChangeMessage } from "@/lib/db/notify";
import { pool } from "@/lib/db/pool";
import { AppError } from "@/lib/http/errors";
import { auditOf, makeAgent, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";
import { makeCheckpoint, makePolicy } from "./approvals-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;

let owner: Person;
let approver: Person;
let admin: Person;
let auditor: Person;
let agent: TestAgent;
let extendable: string;

beforeAll(async () => {
  owner = await makePerson(["approver"], "Olive Owner");
  approver = await makePerson(["approver"], "Ana Approver");
  admin = await makePerson(["admin"], "Ada Admin");
  auditor = await makePerson(["auditor"]);
  agent = await makeAgent({ deployedById: owner.id, ownerIds: [owner.id] });
  extendable = (await makePolicy({ maxExtendSeconds: 600 })).id;
});

async function refused(code: string, call: () => Promise<unknown>): Promise<AppError> {
  const error = await call().then(() => new Error("expected a refusal"), (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

const extend = (person: Person, checkpointId: string, seconds: number, reason?: string) =>
  extendCheckpoint(person, personActor(person), { checkpointId, seconds, reason });
const expiryOf = async (id: string) => (await db().checkpoint.findUniqueOrThrow({ where: { id } })).expiresAt;

describe("extendCheckpoint", () => {
  it("moves the expiry by the requested seconds, audits before → after and announces it to the waiting agent", async () => {
    const { checkpointId, decisionId } = await makeCheckpoint(agent.id, { policyId: extendable, expiresInMs: 60_000 });
    const before = await expiryOf(checkpointId);
    const listener = createChangeListener({ url: process.env.DATABASE_URL! });
    const heard: ChangeMessage[] = [];
    listener.subscribe((message) => void heard.push(message));
    await listener.ready();
    try {
      const result = await extend(approver, checkpointId, 300, "Asking finance first");
      expect(result.expiresAt.getTime()).toBe(before.getTime() + 300_000);
      await expect.poll(() => heard.some((message) => message.kind === "checkpoint" && message.id === checkpointId)).toBe(true);
    } finally {
      await listener.close();
    }
    const row = await db().checkpoint.findUniqueOrThrow({ where: { id: checkpointId } });
    expect(row).toMatchObject({ extendedById: approver.id, extensionSeconds: 300, status: "pending" });
    const [audit] = await auditOf("checkpoint.extended", checkpointId);
    expect(audit).toMatchObject({ actorType: "person", actorPersonId: approver.id, agentId: agent.id });
    expect(audit!.data).toMatchObject({
      before: { expiresAt: before.toISOString() },
      after: { expiresAt: new Date(before.getTime() + 300_000).toISOString() },
      seconds: 300,
      limitSeconds: 600,
      reason: "Asking finance first",
      decisionId,
    });
    // The agent reads the new expiry.
    const view = await readCheckpointStatus(pool(), { type: "agent", agentId: agent.id }, checkpointId);
    expect(view?.expiresAt).toBe(new Date(before.getTime() + 300_000).toISOString());
  });

  it("keeps a checkpoint alive past its first expiry, so it can still be approved", async () => {
    const { checkpointId } = await makeCheckpoint(agent.id, { policyId: extendable, expiresInMs: 2_000 });
    await extend(admin, checkpointId, 60);
    const later = new Date(Date.now() + 10_000);
    expect(await decideCheckpoint(approver, personActor(approver), { checkpointId, verdict: "approve" }, later)).toMatchObject({ status: "approved" });
  });

  it("allows one extension only", async () => {
    const { checkpointId } = await makeCheckpoint(agent.id, { policyId: extendable });
    await extend(approver, checkpointId, 120);
    const error = await refused("conflict", () => extend(admin, checkpointId, 60));
    expect(error.message).toMatch(/already extended/);
    expect(await auditOf("checkpoint.extended", checkpointId)).toHaveLength(1);
  });

  it("refuses more than the policy allows, with the limit on the field", async () => {
    const { checkpointId } = await makeCheckpoint(agent.id, { policyId: extendable });
    const before = await expiryOf(checkpointId);
    const error = await refused("validation_failed", () => extend(approver, checkpointId, 601));
    expect(error.fields).toEqual([{ path: "seconds", message: "The policy allows at most 600 seconds." }]);
    await refused("validation_failed", () => extend(approver, checkpointId, 10));
    expect(await expiryOf(checkpointId)).toEqual(before);
  });

  it("refuses when the asking policy allows no extension, or no policy asked", async () => {
    const strict = await makePolicy({ maxExtendSeconds: 0 });
    for (const policyId of [strict.id, null]) {
      const { checkpointId } = await makeCheckpoint(agent.id, { policyId });
      const error = await refused("unprocessable", () => extend(approver, checkpointId, 60));
      expect(error.message).toMatch(/does not allow extensions/);
    }
  });

  it("refuses the agent's owner (separation of duties), auditors and people without a role", async () => {
    const { checkpointId } = await makeCheckpoint(agent.id, { policyId: extendable });
    expect((await refused("forbidden", () => extend(owner, checkpointId, 60))).message).toMatch(/separation of duties/);
    await refused("forbidden", () => extend(auditor, checkpointId, 60));
    const nobody = await makePerson([]);
    await refused("forbidden", () => extend(nobody, checkpointId, 60));
    expect((await db().checkpoint.findUniqueOrThrow({ where: { id: checkpointId } })).extendedAt).toBeNull();
  });

  it("refuses an ended checkpoint, and records an overdue one as expired instead", async () => {
    const decided = await makeCheckpoint(agent.id, { policyId: extendable });
    await decideCheckpoint(approver, personActor(approver), { checkpointId: decided.checkpointId, verdict: "deny" });
    expect((await refused("conflict", () => extend(admin, decided.checkpointId, 60))).message).toMatch(/denied/);

    const overdue = await makeCheckpoint(agent.id, { policyId: extendable, expiresInMs: -1_000 });
    await refused("conflict", () => extend(approver, overdue.checkpointId, 60));
    expect((await db().checkpoint.findUniqueOrThrow({ where: { id: overdue.checkpointId } })).status).toBe("expired");
    const [expiry] = await auditOf("checkpoint.expired", overdue.checkpointId);
    expect(expiry?.data).toMatchObject({ via: "extend" });
  });
});
