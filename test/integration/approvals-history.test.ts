// The history tab's query against a real PostgreSQL: every way a checkpoint ends (approved, denied,
// expired, cancelled), newest end first, with votes, time to decide and note; filters; pages.
import { beforeAll, describe, expect, it } from "vitest";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { historyFiltersSchema } from "@/lib/approvals/inbox-filters";
import { HISTORY_PAGE_SIZE, listCheckpointHistory } from "@/lib/approvals/list-checkpoint-history";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { makeAgent, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";
import { makeCheckpoint } from "./approvals-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;

let approver: Person;
let other: Person;
let agent: TestAgent;
const ids: Record<string, string> = {};

const history = (raw: Record<string, string> = {}) => listCheckpointHistory(historyFiltersSchema.parse({ agent: agent.slug, ...raw }));

beforeAll(async () => {
  const owner = await makePerson([]);
  approver = await makePerson(["approver"], "Ana Approver");
  other = await makePerson(["admin"], "Ada Admin");
  agent = await makeAgent({ deployedById: owner.id, ownerIds: [owner.id] });
  const base = Date.now() - 60_000;

  ids.approved = (await makeCheckpoint(agent.id, { createdAt: new Date(base), requiredApprovals: 2 })).checkpointId;
  await decideCheckpoint(approver, personActor(approver), { checkpointId: ids.approved, verdict: "approve", note: "Fine by me" }, new Date(base + 5_000));
  await decideCheckpoint(other, personActor(other), { checkpointId: ids.approved, verdict: "approve" }, new Date(base + 12_000));

  ids.denied = (await makeCheckpoint(agent.id, { createdAt: new Date(base + 1_000) })).checkpointId;
  await decideCheckpoint(approver, personActor(approver), { checkpointId: ids.denied, verdict: "deny", note: "Wrong customer" }, new Date(base + 21_000));

  ids.expired = (await makeCheckpoint(agent.id, { createdAt: new Date(base + 2_000), expiresInMs: -30_000 })).checkpointId;
  await expireCheckpoints(pool(), { ids: [ids.expired], now: new Date(base + 32_000), via: "test" });

  // As the kill switch leaves them (lib/kill): status, decided_at and a note.
  ids.cancelled = (await makeCheckpoint(agent.id, { createdAt: new Date(base + 3_000) })).checkpointId;
  await db().checkpoint.update({ where: { id: ids.cancelled }, data: { status: "cancelled", decidedAt: new Date(base + 43_000), note: "Cancelled: the agent was killed." } });

  ids.pending = (await makeCheckpoint(agent.id)).checkpointId;
});

describe("listCheckpointHistory", () => {
  it("lists ended checkpoints, the latest end first, with votes, time to decide and note", async () => {
    const { items, next } = await history();
    expect(items.map((item) => item.outcome)).toEqual(["cancelled", "expired", "denied", "approved"]);
    expect(next).toBeNull();
    const byOutcome = Object.fromEntries(items.map((item) => [item.outcome, item]));
    expect(byOutcome.approved).toMatchObject({ id: ids.approved, secondsToDecide: 12, note: null });
    expect(byOutcome.approved?.votes.map((vote) => [vote.person, vote.verdict, vote.note])).toEqual([
      ["Ana Approver", "approve", "Fine by me"],
      ["Ada Admin", "approve", null],
    ]);
    expect(byOutcome.denied).toMatchObject({ secondsToDecide: 20, note: "Wrong customer", votes: [expect.objectContaining({ person: "Ana Approver", verdict: "deny" })] });
    expect(byOutcome.expired).toMatchObject({ secondsToDecide: 30, votes: [] });
    expect(byOutcome.expired?.note).toMatch(/Expired/);
    expect(byOutcome.cancelled).toMatchObject({ secondsToDecide: 40, note: "Cancelled: the agent was killed." });
    expect(items.map((item) => item.id)).not.toContain(ids.pending);
  });

  it("filters by outcome and ignores an unknown one", async () => {
    expect((await history({ outcome: "denied" })).items.map((item) => item.id)).toEqual([ids.denied]);
    expect((await history({ outcome: "expired" })).items.map((item) => item.id)).toEqual([ids.expired]);
    expect((await history({ outcome: "pending" })).items).toHaveLength(4);
  });

  it("pages with a cursor, every ended checkpoint exactly once", async () => {
    const many = await makeAgent({ deployedById: approver.id });
    const made: string[] = [];
    for (let i = 0; i < HISTORY_PAGE_SIZE + 3; i += 1) {
      const { checkpointId } = await makeCheckpoint(many.id, { expiresInMs: -1_000 });
      made.push(checkpointId);
    }
    await expireCheckpoints(pool(), { ids: made, now: new Date(), via: "test" });
    const first = await listCheckpointHistory(historyFiltersSchema.parse({ agent: many.slug }));
    expect(first.items).toHaveLength(HISTORY_PAGE_SIZE);
    expect(first.next).not.toBeNull();
    const second = await listCheckpointHistory(historyFiltersSchema.parse({ agent: many.slug, before: first.next }));
    expect(second.items).toHaveLength(3);
    expect(second.next).toBeNull();
    expect(new Set([...first.items, ...second.items].map((item) => item.id))).toEqual(new Set(made));
  });
});
