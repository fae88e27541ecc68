// The approval-fatigue guard against a real PostgreSQL: ten approvals within a minute, each less
// than 3 s after opening the checkpoint, raise one alert and one audit row per run; slower
// approvals, a deny in between, or approvals of checkpoints never opened (measured from their
// creation) do not; and the per-approver figures the inbox and overview show.
import { beforeAll, describe, expect, it } from "vitest";
import { listApproverStats } from "@/lib/approvals/approver-stats";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { getCheckpointDetail } from "@/lib/approvals/get-checkpoint-detail";
import { db } from "@/lib/db/client";
import { makeAgent, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";
import { makeCheckpoint } from "./approvals-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;

let owner: Person;
let agent: TestAgent;

beforeAll(async () => {
  owner = await makePerson([], "Olive Owner");
  agent = await makeAgent({ deployedById: owner.id, ownerIds: [owner.id] });
});

/** Opens a new checkpoint at `openAt` and votes `lookMs` later; returns the vote's result. */
async function openAndVote(person: Person, openAt: Date, lookMs: number, verdict: "approve" | "deny" = "approve") {
  const { checkpointId } = await makeCheckpoint(agent.id, { createdAt: new Date(openAt.getTime() - 60_000), expiresInMs: 3_600_000 });
  await getCheckpointDetail(person, personActor(person), checkpointId, { opened: true, now: openAt });
  return decideCheckpoint(person, personActor(person), { checkpointId, verdict }, new Date(openAt.getTime() + lookMs));
}

const alertsFor = (personId: string) => db().alert.findMany({ where: { kind: "approval_fatigue", data: { path: ["personId"], equals: personId } } });
const auditsFor = (personId: string) => db().auditEvent.findMany({ where: { type: "approvals.fatigue_detected", subjectId: personId } });

describe("the fatigue guard", () => {
  it("flags the tenth fast approval within a minute, once per run, with an alert and an audit row", async () => {
    const person = await makePerson(["approver"], "Rushed Approver");
    const start = new Date();
    const results = [];
    for (let i = 0; i < 12; i += 1) results.push(await openAndVote(person, new Date(start.getTime() + i * 4_000), 1_500));
    expect(results.slice(0, 9).every((result) => result.fatigue === undefined)).toBe(true);
    expect(results[9]?.fatigue).toEqual({ fastApprovals: 10, windowSeconds: 60, raised: true });
    expect(results[10]?.fatigue).toMatchObject({ raised: false });
    expect(results[11]?.fatigue).toMatchObject({ raised: false });

    const alerts = await alertsFor(person.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: "warning", agentId: null });
    expect(alerts[0]?.message).toMatch(/Rushed Approver approved 10 checkpoints within a minute/);
    const audits = await auditsFor(person.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "person", actorPersonId: person.id, subjectType: "person" });
    expect(audits[0]?.data).toMatchObject({ fastApprovals: 10, rule: { fastUnderMs: 3_000, atLeast: 10, withinMs: 60_000 } });
  });

  it("starts a new run after a deny, and flags that run again", async () => {
    const person = await makePerson(["approver"]);
    const start = new Date();
    let at = 0;
    const vote = (verdict: "approve" | "deny" = "approve") => openAndVote(person, new Date(start.getTime() + (at += 2_000)), 1_000, verdict);
    for (let i = 0; i < 9; i += 1) expect((await vote()).fatigue).toBeUndefined();
    await vote("deny");
    for (let i = 0; i < 9; i += 1) expect((await vote()).fatigue).toBeUndefined();
    expect((await vote()).fatigue).toMatchObject({ raised: true });
    expect(await alertsFor(person.id)).toHaveLength(1);
    // A slower look ends that run; the next ten fast ones are a new run, flagged once more.
    await openAndVote(person, new Date(start.getTime() + (at += 2_000)), 8_000);
    at += 8_000;
    for (let i = 0; i < 9; i += 1) expect((await vote()).fatigue).toBeUndefined();
    expect((await vote()).fatigue).toMatchObject({ raised: true });
    expect(await alertsFor(person.id)).toHaveLength(2);
    expect(await auditsFor(person.id)).toHaveLength(2);
  });

  it("does not flag approvals that took 3 s or more, or that came slower than ten a minute", async () => {
    const careful = await makePerson(["approver"]);
    const start = new Date();
    for (let i = 0; i < 12; i += 1) expect((await openAndVote(careful, new Date(start.getTime() + i * 4_000), 3_000)).fatigue).toBeUndefined();
    const steady = await makePerson(["approver"]);
    for (let i = 0; i < 12; i += 1) expect((await openAndVote(steady, new Date(start.getTime() + i * 7_000), 500)).fatigue).toBeUndefined();
    expect(await alertsFor(careful.id)).toHaveLength(0);
    expect(await alertsFor(steady.id)).toHaveLength(0);
  });

  it("measures from the checkpoint's creation when the voter never opened it", async () => {
    const person = await makePerson(["approver"]);
    const start = new Date();
    for (let i = 0; i < 10; i += 1) {
      const { checkpointId } = await makeCheckpoint(agent.id, { createdAt: new Date(start.getTime() + i * 3_000), expiresInMs: 3_600_000 });
      const result = await decideCheckpoint(person, personActor(person), { checkpointId, verdict: "approve" }, new Date(start.getTime() + i * 3_000 + 1_000));
      expect(result.fatigue === undefined).toBe(i < 9);
    }
    const vote = await db().approval.findFirstOrThrow({ where: { personId: person.id }, orderBy: { createdAt: "desc" } });
    expect(vote.createdAt.getTime() - vote.openedAt!.getTime()).toBe(1_000);
  });
});

describe("listApproverStats", () => {
  it("gives each approver's votes, approve rate, median look time, fast approvals and recent fatigue", async () => {
    const person = await makePerson(["approver"], "Stat Approver");
    const start = new Date(Date.now() - 60 * 60_000);
    const looks = [2_000, 4_000, 6_000, 8_000];
    for (const [i, look] of looks.entries()) await openAndVote(person, new Date(start.getTime() + i * 60_000), look, i === 3 ? "deny" : "approve");
    const stats = (await listApproverStats()).find((row) => row.personId === person.id);
    expect(stats).toEqual({ personId: person.id, name: "Stat Approver", votes: 4, approvals: 3, approveRate: 0.75, medianSeconds: 5, fastApprovals: 1, fatigued: false });
    const rushed = (await listApproverStats()).find((row) => row.name === "Rushed Approver");
    expect(rushed).toMatchObject({ votes: 12, approveRate: 1, fatigued: true });
  });
});
