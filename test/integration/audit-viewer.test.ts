// The audit viewer's query against a seeded trail: every filter returns exactly what one plain
// query over the whole table returns, page by page with no duplicate and no gap (also while new
// events arrive, and walking up with the "newer" cursor); the free-text search gives the same
// answer whichever way it goes (scan, index, or both); a bad filter is named, never guessed.
import { beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { addDecision, oracle, sampleValues, seedTrail, walkDown, walkUp, type Params } from "./audit-viewer-fixtures";

let values: Awaited<ReturnType<typeof sampleValues>>;
let agentSlugs: string[];
// Windows this small send every search through the scan, the cost estimate and the index.
const TINY = { firstWindow: 40, maxWindow: 160 };

beforeAll(async () => {
  ({ agentSlugs } = await seedTrail(3_000));
  const agent = agentSlugs[1]!;
  await addDecision(agent, "Offer 50% off_ to the customer who waited a week");
  await addDecision(agent, "Offer 50 percent off to the next customer");
  await addDecision(agent, '=HYPERLINK("https://evil.example","click") and a refund');
  await pool().query("ANALYZE audit_event, decision");
  values = await sampleValues();
}, 60_000);

function cases(): Array<[string, Params]> {
  return [
    ["no filter", {}],
    ["the busiest agent", { agent: values.busyAgent }],
    ["a quiet agent", { agent: values.quietAgent }],
    ["a person", { person: values.person }],
    ["an event type", { type: "permission.updated" }],
    ["an action", { action: "billing.refund.issue" }],
    ["effect deny", { effect: "deny" }],
    ["effect pending", { effect: "pending" }],
    ["a time range", { from: values.from, to: values.to }],
    ["a trace", { trace: values.trace }],
    ["a common word", { q: "refund" }],
    ["a customer", { q: "okonkwo" }],
    ["one ticket", { q: values.ticket }],
    ["LIKE wildcards taken literally", { q: "50% off_" }],
    ["agent and effect", { agent: values.busyAgent, effect: "deny" }],
    ["text within a time range", { q: "the", from: values.from, to: values.to }],
    ["text for one agent", { q: "refund", agent: values.busyAgent }],
    ["a type no decision filter can match", { type: "person.signed_in", effect: "deny" }],
  ];
}

describe("filters", () => {
  it("the seeded trail is big enough to page and has every kind of event", async () => {
    expect((await oracle({})).length).toBeGreaterThan(3_000);
    for (const [name, filter] of cases().slice(1, 14)) expect((await oracle(filter)).length, name).toBeGreaterThan(0);
    expect(await oracle({ q: "50% off_" })).toHaveLength(1);
  });

  it("each filter lists exactly the oracle's events, newest first, with no duplicate", async () => {
    for (const [name, filter] of cases()) {
      const expected = await oracle(filter);
      const listed = await walkDown(filter);
      expect(listed, name).toEqual(expected);
    }
  }, 60_000);

  it("the text search gives the same answer when it scans a little, estimates, and falls back to the index", async () => {
    const searches: Params[] = [{ q: "refund" }, { q: "okonkwo" }, { q: values.ticket }, { q: "refund", agent: values.busyAgent }, { q: "50% off_" }];
    for (const filter of searches) {
      expect(await walkDown(filter, { limit: 13, tuning: TINY }), filter.q).toEqual(await oracle(filter));
      expect(await walkUp(filter, { limit: 13, tuning: TINY }), filter.q).toEqual((await oracle(filter)).reverse());
    }
  }, 60_000);

  it("walking up with the newer cursor meets every event once, oldest first", async () => {
    const filters: Params[] = [{}, { agent: values.quietAgent }, { effect: "pending" }, { from: values.from, to: values.to }];
    for (const filter of filters) {
      expect(await walkUp(filter, { limit: 41 })).toEqual((await oracle(filter)).reverse());
    }
  }, 60_000);

  it("shows readable rows: actor, agent, summary, effect, and the decision a row opens", async () => {
    const { events } = await listAuditEvents({ type: "decision.made", agent: values.busyAgent }, { limit: 5 });
    expect(events).toHaveLength(5);
    for (const event of events) {
      expect(event.actorType).toBe("agent");
      expect(event.actorLabel).toBe(values.busyAgent);
      expect(event.agent?.slug).toBe(values.busyAgent);
      expect(event.decisionId).toBe(event.subjectId);
      expect(["allow", "deny", "pending"]).toContain(event.verdict);
      expect(event.summary).toContain("“");
    }
    const [approval] = (await listAuditEvents({ type: "checkpoint.approved" }, { limit: 1 })).events;
    expect(approval?.actorType).toBe("person");
    expect(approval?.actorEmail).toMatch(/@seed\.example$/);
    expect(approval?.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(approval?.verdict).toBe("approved");
  });

  it("an unknown agent or person matches nothing (and is not an error)", async () => {
    expect(await listAuditEvents({ agent: "nobody-here" })).toMatchObject({ events: [] });
    expect((await listAuditEvents({ agent: "nobody-here" })).errors).toBeUndefined();
    expect((await listAuditEvents({ person: "nobody@nowhere.example" })).events).toEqual([]);
  });
});

describe("keyset paging while events arrive", () => {
  it("no duplicate and no gap going down, and the new events are there going up", async () => {
    const filter = { agent: agentSlugs[2]! };
    const before = await oracle(filter);
    const agent = await db().agent.findUniqueOrThrow({ where: { slug: filter.agent }, select: { id: true } });
    let added = 0;
    const listed = await walkDown(filter, {
      limit: 11,
      between: async () => {
        for (let i = 0; i < 3; i += 1) {
          await recordAudit(db(), { type: "system", via: "test" }, { type: "agent.updated", agentId: agent.id, data: { before: { n: added }, after: { n: added + 1 } } });
          added += 1;
        }
      },
    });
    expect(added).toBeGreaterThan(3);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(before);
    const now = await oracle(filter);
    expect(now.length).toBe(before.length + added);
    expect(await walkUp(filter, { limit: 11 })).toEqual([...now].reverse());
  }, 60_000);

  it("a page is cut at the cursor it was given, so the same link shows the same events later", async () => {
    const first = await listAuditEvents({}, { limit: 20 });
    const second = await listAuditEvents({ before: first.older! }, { limit: 20 });
    await recordAudit(db(), { type: "system", via: "test" }, { type: "test.event", data: { at: "top" } });
    const again = await listAuditEvents({ before: first.older! }, { limit: 20 });
    expect(again.events.map((event) => event.id)).toEqual(second.events.map((event) => event.id));
    expect(second.newer).toBe(second.events[0]?.id);
    expect(first.newer).toBeUndefined();
  });
});

describe("bad filters", () => {
  const bad: Array<[string, Params, string]> = [
    ["an effect that does not exist", { effect: "maybe" }, "effect"],
    ["a time that is not one", { from: "yesterday" }, "from"],
    ["a date that does not exist", { to: "2026-02-30T10:00" }, "to"],
    ["a range that ends before it starts", { from: "2026-11-26T10:00", to: "2026-11-26T09:00" }, "to"],
    ["an agent that is not a slug", { agent: "Not A Slug" }, "agent"],
    ["a person that is not an e-mail", { person: "alice" }, "person"],
    ["an event type with spaces", { type: "decision made" }, "type"],
    ["an action with a wildcard", { action: "crm.*" }, "action"],
    ["a trace id with spaces", { trace: "a b" }, "trace"],
    ["a search that is too short", { q: "ab" }, "q"],
    ["a search that is too long", { q: "x".repeat(201) }, "q"],
    ["a cursor that is not a number", { before: "12abc" }, "before"],
    ["a cursor out of range", { before: "99999999999999999999" }, "before"],
    ["both cursors", { before: "10", after: "5" }, "after"],
  ];

  it.each(bad)("names %s and lists nothing", async (_name, filter, path) => {
    const page = await listAuditEvents(filter);
    expect(page.events).toEqual([]);
    expect(page.errors?.map((error) => error.path)).toContain(path);
    expect(page.errors?.every((error) => error.message.length > 10)).toBe(true);
  });

  it("takes one value per key as the URL gives it, ignores unknown keys, and reads plain dates and zones", async () => {
    expect((await listAuditEvents({ agent: ["a", "b"] })).errors?.[0]?.path).toBe("agent");
    expect((await listAuditEvents({ utm_source: "mail", effect: "" })).errors).toBeUndefined();
    const day = await listAuditEvents({ from: values.from.slice(0, 10), to: values.from.slice(0, 10) }, { limit: 1 });
    expect(day.errors).toBeUndefined();
    expect(day.filters.to!.getTime() - day.filters.from!.getTime()).toBe(86_400_000);
    const zoned = await listAuditEvents({ from: "2026-11-26T10:00+02:00" }, { limit: 1 });
    expect(zoned.filters.from?.toISOString()).toBe("2026-11-26T08:00:00.000Z");
    const local = await listAuditEvents({ from: "2026-11-26T10:00" }, { limit: 1 });
    expect(local.filters.from?.toISOString()).toBe("2026-11-26T10:00:00.000Z");
  });
});
