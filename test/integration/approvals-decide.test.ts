// decideCheckpoint, the human side of a checkpoint, against a real PostgreSQL: roles, separation of
// duties, one vote per person, quorum of distinct approvers, one deny ends it, expiry, a click
// after the end, concurrent clicks, and the sweeper.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { startCheckpointSweeper } from "@/lib/approvals/checkpoint-sweeper";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { createChangeListener, type ChangeMessage } from "@/lib/db/notify";
import { AppError } from "@/lib/http/errors";
import { auditOf, makeAgent, makePendingCheckpoint, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;

let deployer: Person;
let owner: Person;
let techOwner: Person;
let approverA: Person;
let approverB: Person;
let admin: Person;
let auditor: Person;
let agent: TestAgent;

beforeAll(async () => {
  // The deployer, owner and technical owner are approvers too: separation of duties must still refuse them.
  deployer = await makePerson(["approver"], "Dee Ployer");
  owner = await makePerson(["approver"], "Owen Owner");
  techOwner = await makePerson(["admin"], "Tess Tech");
  approverA = await makePerson(["approver"], "Ana Approver");
  approverB = await makePerson(["approver"], "Ben Approver");
  admin = await makePerson(["admin"], "Ada Admin");
  auditor = await makePerson(["auditor"], "Aud Itor");
  agent = await makeAgent({ deployedById: deployer.id, ownerIds: [owner.id], technicalOwnerId: techOwner.id });
});

const decide = (person: Person, checkpointId: string, verdict: "approve" | "deny", note?: string) =>
  decideCheckpoint(person, personActor(person), { checkpointId, verdict, note });

async function refusedWith(code: string, call: () => Promise<unknown>): Promise<AppError> {
  const error = await call().then(
    () => new Error("expected a refusal"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

const statusOf = async (id: string) => (await db().checkpoint.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

describe("decideCheckpoint", () => {
  it("approves with one approval, records the vote, the audit row and the note", async () => {
    const { checkpointId, decisionId } = await makePendingCheckpoint(agent.id);
    const result = await decide(approverA, checkpointId, "approve", "Looks right");
    expect(result).toEqual({ checkpointId, status: "approved", approvals: 1, requiredApprovals: 1 });
    const row = await db().checkpoint.findUniqueOrThrow({ where: { id: checkpointId } });
    expect(row).toMatchObject({ status: "approved", note: "Looks right" });
    expect(row.decidedAt).toBeInstanceOf(Date);
    const [audit] = await auditOf("checkpoint.approved", checkpointId);
    expect(audit).toMatchObject({ actorType: "person", actorPersonId: approverA.id, agentId: agent.id });
    expect(audit!.data).toMatchObject({ before: { status: "pending", approvals: 0 }, after: { status: "approved", approvals: 1 }, verdict: "approve", decisionId });
  });

  it("needs two distinct approvers for a quorum of two; one person votes once", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id, { requiredApprovals: 2 });
    expect(await decide(approverA, checkpointId, "approve")).toMatchObject({ status: "pending", approvals: 1 });
    expect(await auditOf("checkpoint.voted", checkpointId)).toHaveLength(1);
    await refusedWith("conflict", () => decide(approverA, checkpointId, "approve"));
    expect(await statusOf(checkpointId)).toBe("pending");
    expect(await decide(admin, checkpointId, "approve")).toMatchObject({ status: "approved", approvals: 2 });
    expect(await db().approval.count({ where: { checkpointId } })).toBe(2);
  });

  it("ends at the first deny, even after an approval toward the quorum", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id, { requiredApprovals: 2 });
    await decide(approverA, checkpointId, "approve");
    expect(await decide(approverB, checkpointId, "deny", "Wrong customer")).toMatchObject({ status: "denied" });
    expect((await db().checkpoint.findUniqueOrThrow({ where: { id: checkpointId } })).note).toBe("Wrong customer");
    expect(await auditOf("checkpoint.denied", checkpointId)).toHaveLength(1);
    const late = await refusedWith("conflict", () => decide(admin, checkpointId, "approve"));
    expect(late.message).toMatch(/already denied/);
  });

  it("refuses a second person's click after the end with 409 and writes nothing", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id);
    await decide(approverA, checkpointId, "approve");
    const auditBefore = await db().auditEvent.count();
    const error = await refusedWith("conflict", () => decide(approverB, checkpointId, "deny"));
    expect(error.message).toMatch(/already approved/);
    expect(await db().auditEvent.count()).toBe(auditBefore);
    expect(await db().approval.count({ where: { checkpointId } })).toBe(1);
  });

  it.each([
    ["the deployer", () => deployer],
    ["a business owner", () => owner],
    ["the technical owner (an admin)", () => techOwner],
  ])("refuses %s: separation of duties (403)", async (_label, who) => {
    const { checkpointId } = await makePendingCheckpoint(agent.id);
    const error = await refusedWith("forbidden", () => decide(who(), checkpointId, "approve"));
    expect(error.message).toMatch(/separation of duties/);
    expect(await db().approval.count({ where: { checkpointId } })).toBe(0);
    expect(await statusOf(checkpointId)).toBe("pending");
  });

  it("refuses auditors and people without a role (403)", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id);
    const nobody = await makePerson([]);
    await refusedWith("forbidden", () => decide(auditor, checkpointId, "approve"));
    await refusedWith("forbidden", () => decide(nobody, checkpointId, "deny"));
    expect(await db().approval.count({ where: { checkpointId } })).toBe(0);
  });

  it("refuses a disabled approver", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id);
    const gone = await makePerson(["approver"]);
    await db().person.update({ where: { id: gone.id }, data: { disabled: true } });
    await refusedWith("forbidden", () => decide(gone, checkpointId, "approve"));
  });

  it("expires an overdue checkpoint (audited, as the system) and refuses to approve it", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id, { expiresInMs: -1_000 });
    const error = await refusedWith("conflict", () => decide(approverA, checkpointId, "approve"));
    expect(error.message).toMatch(/expired/);
    expect(await statusOf(checkpointId)).toBe("expired");
    const [audit] = await auditOf("checkpoint.expired", checkpointId);
    expect(audit).toMatchObject({ actorType: "system", agentId: agent.id });
    expect(audit!.data).toMatchObject({ before: { status: "pending" }, after: { status: "expired" }, via: "decide" });
    expect(await db().approval.count({ where: { checkpointId } })).toBe(0);
  });

  it("answers 404 for an unknown checkpoint and 400 for a malformed id or verdict", async () => {
    await refusedWith("not_found", () => decide(approverA, randomUUID(), "approve"));
    await refusedWith("validation_failed", () => decide(approverA, "not-a-uuid", "approve"));
    await refusedWith("validation_failed", () => decideCheckpoint(approverA, personActor(approverA), { checkpointId: randomUUID(), verdict: "maybe" as "approve" }));
    await refusedWith("validation_failed", () => decide(approverA, randomUUID(), "deny", "x".repeat(2001)));
  });

  it("decides once when two approvers click at the same moment (quorum 1)", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id);
    const results = await Promise.allSettled([decide(approverA, checkpointId, "approve"), decide(approverB, checkpointId, "deny")]);
    const ok = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(((refused[0] as PromiseRejectedResult).reason as AppError).code).toBe("conflict");
    expect(await db().approval.count({ where: { checkpointId } })).toBe(1);
  });

  it("counts concurrent votes toward a quorum of two one after the other", async () => {
    const { checkpointId } = await makePendingCheckpoint(agent.id, { requiredApprovals: 2 });
    const results = await Promise.all([decide(approverA, checkpointId, "approve"), decide(approverB, checkpointId, "approve")]);
    expect(results.map((result) => result.status).sort()).toEqual(["approved", "pending"]);
    expect(await statusOf(checkpointId)).toBe("approved");
  });

  it("counts a vote that committed while this one waited for the checkpoint's lock", async () => {
    // Deterministic form of the race above: another vote holds the checkpoint's lock, this one
    // starts and waits, the other commits. Counting from a snapshot older than the lock left the
    // checkpoint pending with its quorum met.
    const { checkpointId } = await makePendingCheckpoint(agent.id, { requiredApprovals: 2 });
    const other = await pool().connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT 1 FROM checkpoint WHERE id = $1 FOR UPDATE", [checkpointId]);
      await other.query("INSERT INTO approval (checkpoint_id, person_id, verdict, created_at, opened_at) VALUES ($1, $2, 'approve', now(), now())", [checkpointId, approverA.id]);
      const voting = decide(approverB, checkpointId, "approve");
      await expect
        .poll(async () => (await pool().query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0].n)
        .toBeGreaterThan(0);
      await other.query("COMMIT");
      expect(await voting).toMatchObject({ status: "approved", approvals: 2 });
    } finally {
      other.release();
    }
    expect(await statusOf(checkpointId)).toBe("approved");
  });

  it("announces every vote on the change channel so waiting agents wake", async () => {
    const listener = createChangeListener({ url: process.env.DATABASE_URL! });
    const heard: ChangeMessage[] = [];
    listener.subscribe((message) => void heard.push(message));
    await listener.ready();
    try {
      const { checkpointId } = await makePendingCheckpoint(agent.id);
      await decide(approverA, checkpointId, "approve");
      await expect.poll(() => heard.some((message) => message.kind === "checkpoint" && message.id === checkpointId && message.agentId === agent.id)).toBe(true);
    } finally {
      await listener.close();
    }
  });
});

describe("the checkpoint sweeper", () => {
  it("expires every overdue pending checkpoint once, audited and announced, and leaves the rest", async () => {
    const overdue = await Promise.all([makePendingCheckpoint(agent.id, { expiresInMs: -5_000 }), makePendingCheckpoint(agent.id, { expiresInMs: -1 })]);
    const live = await makePendingCheckpoint(agent.id, { expiresInMs: 60_000 });
    const decided = await makePendingCheckpoint(agent.id, { expiresInMs: 60_000 });
    await decide(approverA, decided.checkpointId, "approve");

    const listener = createChangeListener({ url: process.env.DATABASE_URL! });
    const heard: ChangeMessage[] = [];
    listener.subscribe((message) => void heard.push(message));
    await listener.ready();
    const sweeper = startCheckpointSweeper({ intervalMs: 60_000 });
    try {
      expect(await sweeper.runOnce()).toBeGreaterThanOrEqual(2);
      for (const { checkpointId } of overdue) {
        expect(await statusOf(checkpointId)).toBe("expired");
        expect(await auditOf("checkpoint.expired", checkpointId)).toHaveLength(1);
        await expect.poll(() => heard.some((message) => message.kind === "checkpoint" && message.id === checkpointId)).toBe(true);
      }
      expect(await statusOf(live.checkpointId)).toBe("pending");
      expect(await statusOf(decided.checkpointId)).toBe("approved");
      expect(await sweeper.runOnce()).toBe(0);
      for (const { checkpointId } of overdue) expect(await auditOf("checkpoint.expired", checkpointId)).toHaveLength(1);
    } finally {
      await sweeper.stop();
      await listener.close();
    }
  });
});
