// The search index split into ranges of event ids (audit_search's partitions, SEARCH_RANGE_WIDTH
// ids each): the indexer creates a range when its first id arrives, and a search reads the ranges
// nearest its cursor first — and still answers exactly what one plain query does, in both
// directions, across ranges with empty ones between, with events indexed, sealed past the
// watermark and queued. The event ids jump millions ahead here, so this has a database of its own.
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_RANGE_WIDTH } from "@/lib/audit/index-audit-search";
import { pool } from "@/lib/db/pool";
import { indexAll, indexRound, tail, TINY } from "./audit-search-fixtures";
import { sealAll } from "./audit-seal-fixtures";
import { addDecision, oracle, sampleValues, seedTrail, walkDown, walkUp } from "./audit-viewer-fixtures";

let agentSlugs: string[];

beforeAll(async () => {
  ({ agentSlugs } = await seedTrail(600));
  await indexAll();
}, 60_000);

describe("searches across ranges of ids, against the brute-force query", () => {
  it("give the same rows across ranges of ids, with empty ranges between, indexed, sealed past the watermark and queued", async () => {
    const agent = agentSlugs[2]!;
    const jumpTo = (id: number) => pool().query("SELECT setval('audit_event_id_seq', $1::bigint)", [id]);
    const add = async (count: number, text: (n: number) => string) => {
      const ids: string[] = [];
      for (let n = 0; n < count; n += 1) ids.push((await addDecision(agent, text(n))).eventId);
      return ids;
    };
    // Across the boundary of ranges 2 and 3 (ranges 1 and 4–5 stay empty), then of ranges 5 and 6.
    await jumpTo(3 * SEARCH_RANGE_WIDTH - 9);
    const second = await add(20, (n) => `Refund the ranged quokka order ${n} for Okonkwo Foods`);
    await sealAll({ maxHoldMs: 0 }, 0);
    await indexAll();
    await jumpTo(6 * SEARCH_RANGE_WIDTH - 6);
    const third = await add(14, (n) => `Ranged quokka follow-up ${n}: refund approved`);
    await sealAll({ maxHoldMs: 0 }, 0);
    await indexRound(8); // into range 6: the rest stays sealed past the watermark
    const queued = await add(5, (n) => `Ranged quokka, still queued ${n}`);
    // Decisions without the terms on top, so a search's first scan finds nothing and the index is read from the top down.
    await add(60, (n) => `Filler note ${n}`);
    expect(BigInt(second[0]!) < BigInt(3 * SEARCH_RANGE_WIDTH) && BigInt(second.at(-1)!) >= BigInt(3 * SEARCH_RANGE_WIDTH)).toBe(true);
    expect(BigInt(third.at(-1)!) >= BigInt(6 * SEARCH_RANGE_WIDTH) && queued.length === 5).toBe(true);
    expect(await tail()).toBeGreaterThanOrEqual(6 + 5);

    const ranges = (await pool().query<{ name: string; bounds: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bounds FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'audit_search'::regclass ORDER BY c.relname`,
    )).rows;
    // Created as ids reached them, SEARCH_RANGE_WIDTH ids each: the code and the migration agree.
    expect(ranges).toEqual(
      [0, 2, 3, 5, 6].map((r) => ({ name: `audit_search_r${r}`, bounds: `FOR VALUES FROM ('${r * SEARCH_RANGE_WIDTH}') TO ('${(r + 1) * SEARCH_RANGE_WIDTH}')` })),
    );

    const { ticket } = await sampleValues();
    for (const filter of [{ q: "ranged quokka" }, { q: "quokka" }, { q: "refund" }, { q: "okonkwo" }, { q: ticket }, { q: "still queued" }, { q: "nothing matches this" }]) {
      const expected = await oracle(filter);
      // Small pages are mostly found by scanning; a page of 50 makes one lookup read several ranges.
      for (const [limit, tuning] of [[7, TINY], [50, TINY], [7, undefined]] as const) {
        expect(await walkDown(filter, { limit, tuning }), `${JSON.stringify(filter)} down by ${limit}`).toEqual(expected);
        expect(await walkUp(filter, { limit, tuning }), `${JSON.stringify(filter)} up by ${limit}`).toEqual([...expected].reverse());
      }
    }
    expect(await oracle({ q: "ranged quokka" })).toHaveLength(20 + 14 + 5);
  }, 120_000);
});
