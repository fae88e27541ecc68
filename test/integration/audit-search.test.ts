// The viewer's free-text search index on a real PostgreSQL: the indexer copies instructions in
// seal order and moves its watermark with them; a term is found wherever its event is — queued
// for the sealer, sealed past the watermark, or indexed — and every search answers exactly what
// one plain query does, in both directions; two indexers copy each event once; a failed round
// leaves everything as it was and stops neither the sealer nor the next round; the migrations copy
// what was sealed before them. Searches across ranges of ids: audit-search-ranges.test.ts.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAuditSealer, startAuditSearchIndexer, type RoundLoop } from "@/lib/audit/audit-sealer";
import { searchIndexPattern } from "@/lib/audit/find-audit-ids";
import { indexAuditSearch, SEARCH_INDEXER_LOCK_KEY } from "@/lib/audit/index-audit-search";
import { AUDIT_LOCK_SPACE, sealEvents } from "@/lib/audit/seal-events";
import { defaultMigrationsDir, migrate } from "@/lib/db/migrate";
import { pool } from "@/lib/db/pool";
import { createTestDatabase, dropTestDatabase } from "../support/database";
import { head, indexAll, indexRound, isIndexed, one, sealOf, tail, TINY, watermark } from "./audit-search-fixtures";
import { appendEvents, sealAll } from "./audit-seal-fixtures";
import { addDecision, oracle, sampleValues, seedTrail, walkDown, walkUp, type Params } from "./audit-viewer-fixtures";

const loops: Array<RoundLoop<unknown>> = [];
const opened: Array<pg.Client | pg.Pool> = [];
let agentSlugs: string[];

beforeAll(async () => {
  ({ agentSlugs } = await seedTrail(2_000));
}, 60_000);

afterEach(async () => {
  await Promise.all(loops.splice(0).map((loop) => loop.stop()));
  await Promise.all(opened.splice(0).map((client) => client.end().catch(() => {})));
});

/** A decision.made event with this instruction, inserted on `client` (which may hold it uncommitted). */
async function decisionEvent(client: pg.ClientBase | pg.Pool, instruction: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO audit_event (actor_type, type, subject_type, subject_id, data, reasoning)
     VALUES ('system', 'decision.made', 'decision', gen_random_uuid()::text, '{"effect": "allow", "action": "crm.note.create"}', jsonb_build_object('instruction', $1::text))
     RETURNING id::text`,
    [instruction],
  );
  return rows[0]!.id;
}

/** The search walked up from the oldest event (so past the scan's first window, into the index): the ids it finds. */
async function found(q: string): Promise<string[]> {
  const ids = await walkUp({ q }, { tuning: TINY, limit: 50 });
  expect(ids, q).toEqual((await oracle({ q })).reverse());
  return ids;
}

async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the search indexer", () => {
  it("the seed leaves every sealed instruction indexed and the watermark at the head", async () => {
    expect(await watermark()).toBe(await head());
    expect(await head()).toBe("2000");
    expect(await tail()).toBe(0);
    const missing = await one<string>(
      `SELECT count(*)::text AS v FROM audit_seal s JOIN audit_event e ON e.id = s.event_id
       WHERE e.reasoning->>'instruction' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_search a WHERE a.event_id = e.id AND a.instruction = e.reasoning->>'instruction')`,
    );
    expect(missing).toBe("0");
    expect(Number(await one<string>("SELECT count(*)::text AS v FROM audit_search"))).toBeGreaterThan(1_000);
  });

  it("copies in seal order, one watermark step per seal, and finds a late event queued, sealed past the watermark, then indexed", async () => {
    const late = new pg.Client({ connectionString: process.env.DATABASE_URL });
    opened.push(late);
    await late.connect();
    await late.query("BEGIN");
    // The late event takes its id first and commits last.
    const lateId = await decisionEvent(late, "Reconcile the zebrawood invoice for the late shipment");
    const earlyId = await decisionEvent(pool(), "Book the yakhide order for the early shipment");
    const [plain, other] = await appendEvents(2); // "do 2" has an instruction, the first none
    await sealAll({ maxHoldMs: 0 }, 0);
    expect(await sealOf(lateId)).toBeUndefined();
    const start = BigInt(await watermark());

    // Sealed past the watermark: found by the direct check.
    expect(await found("yakhide")).toEqual([earlyId]);
    expect(await found("zebrawood")).toEqual([]); // not committed: nobody sees it yet

    // One seal per round, in seq order; each round moves the watermark to the seal it read.
    const sealedSoFar = BigInt(await head());
    expect(sealedSoFar).toBe(start + 3n);
    const steps: Array<[string, number]> = [];
    for (let seq = start + 1n; seq <= sealedSoFar; seq += 1n) {
      const round = await indexRound(1);
      expect(round).toMatchObject({ locked: true, read: 1, watermark: seq.toString() });
      steps.push([(await one<string>("SELECT event_id::text AS v FROM audit_seal WHERE seq = $1::bigint", [seq.toString()]))!, round.indexed]);
    }
    expect(steps).toEqual([[earlyId, 1], [plain, 0], [other, 1]]);
    expect([await isIndexed(earlyId), await isIndexed(plain!), await isIndexed(other!)]).toEqual([true, false, true]);
    expect(await indexRound(1)).toMatchObject({ locked: true, read: 0, indexed: 0, watermark: sealedSoFar.toString() });

    await late.query("COMMIT");
    // Queued for the sealer: found by the direct check.
    expect(await found("zebrawood")).toEqual([lateId]);
    await sealAll({ maxHoldMs: 0 }, 0);
    // Its seal comes after a larger id's: a watermark over ids would have passed it by.
    expect(BigInt(lateId)).toBeLessThan(BigInt(earlyId));
    expect(BigInt((await sealOf(lateId))!)).toBeGreaterThan(BigInt((await sealOf(earlyId))!));
    expect(await isIndexed(lateId)).toBe(false);
    expect(await found("zebrawood")).toEqual([lateId]);

    await indexAll();
    expect(await isIndexed(lateId)).toBe(true);
    expect(await watermark()).toBe(await head());
    expect(await tail()).toBe(0); // found now through audit_search alone
    expect(await found("zebrawood")).toEqual([lateId]);
    expect(await found("yakhide")).toEqual([earlyId]);
  });

  it("passes over events without an instruction, and lets exactly one of two simultaneous rounds hold the lock", async () => {
    const ids = await appendEvents(6); // "do n" on even n only
    await sealAll({ maxHoldMs: 0 }, 0);
    const [a, b] = await Promise.all([pool().connect(), pool().connect()]);
    try {
      await a.query("BEGIN");
      await a.query("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", [AUDIT_LOCK_SPACE, SEARCH_INDEXER_LOCK_KEY]);
      const before = await watermark();
      expect(await indexAuditSearch(b)).toEqual({ locked: false, read: 0, indexed: 0, watermark: null });
      expect(await watermark()).toBe(before);
      await a.query("COMMIT");
      expect(await indexAuditSearch(b)).toMatchObject({ locked: true, read: 6, indexed: 3, watermark: await head() });
    } finally {
      a.release();
      b.release();
    }
    const withText = await one<string>("SELECT count(*)::text AS v FROM audit_event WHERE id = ANY($1::bigint[]) AND reasoning ? 'instruction'", [ids]);
    const copied = await one<string>("SELECT count(*)::text AS v FROM audit_search WHERE event_id = ANY($1::bigint[])", [ids]);
    expect(copied).toBe(withText);
    expect(copied).toBe("3");
  });

  it("with two indexers racing on separate pools, copies each event once", async () => {
    const indexedBy = [0, 0];
    const logged: string[] = [];
    for (const index of [0, 1]) {
      const own = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      opened.push(own);
      loops.push(startAuditSearchIndexer({ pool: own, intervalMs: 2, batchSize: 7, log: (line) => logged.push(line), onRound: (round) => (indexedBy[index]! += round.indexed) }));
    }
    let appended: string[] = [];
    for (let burst = 0; burst < 30; burst += 1) {
      appended = appended.concat(await appendEvents(2 + (burst % 9)));
      await sealAll({ maxHoldMs: 0 }, 0);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await until(async () => (await watermark()) === (await head()), "the indexers catching up");
    await Promise.all(loops.splice(0).map((loop) => loop.stop()));
    const withText = Number(await one<string>("SELECT count(*)::text AS v FROM audit_event WHERE id = ANY($1::bigint[]) AND reasoning ? 'instruction'", [appended]));
    expect(indexedBy[0]! + indexedBy[1]!).toBe(withText);
    expect(await one<string>("SELECT count(*)::text AS v FROM audit_search WHERE event_id = ANY($1::bigint[])", [appended])).toBe(String(withText));
    expect(logged).toEqual([]);
  });

  it("a failed round rolls back whole and changes nothing; the loop says so once, retries, and never holds up sealing", async () => {
    const ids = await appendEvents(4);
    await sealAll({ maxHoldMs: 0 }, 0);
    const before = await watermark();
    // A copy already there (by hand) makes the round's insert fail on the primary key.
    const blocker = ids[1]!;
    await pool().query("INSERT INTO audit_search (event_id, instruction) VALUES ($1::bigint, 'planted by hand')", [blocker]);
    await expect(indexRound()).rejects.toThrow(/duplicate key/);
    expect(await watermark()).toBe(before);
    expect(await one<string>("SELECT count(*)::text AS v FROM audit_search WHERE event_id = ANY($1::bigint[])", [ids])).toBe("1");

    const logged: string[] = [];
    loops.push(startAuditSearchIndexer({ intervalMs: 5, log: (line) => logged.push(line) }));
    loops.push(startAuditSealer({ intervalMs: 5, maxHoldMs: 0, log: (line) => logged.push(line) }));
    await until(async () => logged.length > 0, "the failure being logged");
    const more = await appendEvents(5);
    await until(async () => (await pool().query("SELECT 1 FROM audit_unsealed WHERE event_id = ANY($1::bigint[])", [more])).rowCount === 0, "sealing while the indexer fails");
    expect(await watermark()).toBe(before);

    await pool().query("DELETE FROM audit_search WHERE event_id = $1::bigint", [blocker]);
    await until(async () => (await watermark()) === (await head()), "the indexer recovering");
    expect(logged).toEqual([expect.stringMatching(/^Audit search indexer: a round failed \(.*duplicate key.*\); retrying\.$/), "Audit search indexer: working again."]);
    expect(await one<string>("SELECT instruction AS v FROM audit_search WHERE event_id = $1::bigint", [blocker])).toBe("do 2");
  });
});

describe("searches against the brute-force query", () => {
  let values: Awaited<ReturnType<typeof sampleValues>>;

  it("give the same rows in the same order, both ways, with events indexed, sealed past the watermark and queued", async () => {
    values = await sampleValues();
    const agent = agentSlugs[1]!;
    await indexAll();
    // Past the watermark: sealed but not yet copied ...
    await addDecision(agent, "Refund the quokka plush order for Okonkwo Foods");
    await addDecision(agent, "Café order: ÉCOLE Größe refund, 50% off_");
    await sealAll({ maxHoldMs: 0 }, 0);
    // ... and still queued.
    await addDecision(agent, "Ask Okonkwo Foods about the second quokka refund");
    await addDecision(agent, "REFUND the école fee");
    expect(await tail()).toBeGreaterThanOrEqual(4);
    expect(Number(await watermark())).toBeGreaterThan(2_000);

    const filters: Params[] = [
      { q: "refund" },
      { q: "okonkwo" },
      { q: "quokka" },
      { q: values.ticket },
      { q: `ticket ${values.ticket}` }, // the index is asked for the number only
      { q: "quokka plush order for okonkwo" },
      { q: "50% off_" },
      { q: "50%" }, // no trigram in it: the index cannot narrow, the answer must still be right
      { q: "école" },
      { q: "größe" },
      { q: "refund", agent: values.busyAgent },
      { q: "quokka", agent },
      { q: "the", from: values.from, to: values.to },
      { q: "refund", effect: "deny" },
      { q: "nothing matches this" },
    ];
    for (const filter of filters) {
      const expected = await oracle(filter);
      for (const tuning of [TINY, undefined]) {
        expect(await walkDown(filter, { limit: 13, tuning }), `${JSON.stringify(filter)} down`).toEqual(expected);
        expect(await walkUp(filter, { limit: 13, tuning }), `${JSON.stringify(filter)} up`).toEqual([...expected].reverse());
      }
    }
    expect(await oracle({ q: "quokka" })).toHaveLength(2);
  }, 120_000);

  it("asks the index for a text's rare words only, in order, when it has common ones too", async () => {
    await pool().query("ANALYZE audit_search");
    const ticket = values.ticket.slice(1);
    expect(await searchIndexPattern(pool(), `%ticket #${ticket}%`)).toBe(`%${ticket}%`);
    expect(await searchIndexPattern(pool(), `%the ticket #${ticket} quokka%`)).toBe(`%${ticket}%quokka%`);
    // One word, or only common ones, or only rare ones: the whole pattern.
    expect(await searchIndexPattern(pool(), "%ticket%")).toBe("%ticket%");
    expect(await searchIndexPattern(pool(), "%the ticket%")).toBe("%the ticket%");
    expect(await searchIndexPattern(pool(), `%quokka ${ticket}%`)).toBe(`%quokka ${ticket}%`);
  });

});

describe("the migration", () => {
  it("copies the instructions of the events sealed before it and sets the watermark to the last of them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mandate-migrations-"));
    const url = await createTestDatabase("s", { migrated: false });
    const client = new pg.Client({ connectionString: url });
    try {
      await cp(defaultMigrationsDir(), dir, { recursive: true });
      // The search index's migration and those after it, as a database from before it.
      for (const name of await readdir(dir)) if (name >= "20261130100000_audit_search") await rm(path.join(dir, name), { recursive: true });
      await migrate(url, { migrationsDir: dir });
      await client.connect();
      const sealed = await appendEvents(9, client);
      expect((await sealEvents(client, { maxHoldMs: 0 })).sealed).toBe(9);
      const queued = await appendEvents(4, client);

      await migrate(url);
      const { rows } = await client.query<{ event_id: string; instruction: string }>("SELECT event_id::text, instruction FROM audit_search ORDER BY event_id");
      const withText = (await client.query<{ id: string; text: string }>(
        "SELECT id::text, reasoning->>'instruction' AS text FROM audit_event WHERE id = ANY($1::bigint[]) AND reasoning ? 'instruction' ORDER BY id",
        [sealed],
      )).rows;
      expect(rows).toEqual(withText.map((row) => ({ event_id: row.id, instruction: row.text })));
      expect(rows).toHaveLength(4);
      expect((await client.query("SELECT seq::text FROM audit_search_progress")).rows).toEqual([{ seq: "9" }]);
      expect(rows.map((row) => row.event_id)).not.toEqual(expect.arrayContaining([queued[1]]));
      // Into the first range of ids, which the ranges' migration made for them.
      expect((await client.query("SELECT DISTINCT tableoid::regclass::text AS range FROM audit_search")).rows).toEqual([{ range: "audit_search_r0" }]);
      // The one row is the only row.
      await expect(client.query("INSERT INTO audit_search_progress (id, seq) VALUES (2, 0)")).rejects.toThrow(/audit_search_progress_one_row/);
    } finally {
      await client.end().catch(() => {});
      await dropTestDatabase(url);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
