// The verifier's walk over a synthetic chain: each kind of break it can name on its own, and the
// links it hands on for the database to classify.
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, sealHash } from "@/lib/audit/canonical-event";
import { ChainWalker } from "@/lib/audit/verify-walk";

interface Row {
  seq: string;
  id: string;
  prev: string | null;
  hash: string | null;
  /** null: the sealed event no longer exists. */
  canonical: string | null;
}

function makeChain(length: number): Row[] {
  const rows: Row[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const canonical = `[${seq * 10}, "event ${seq}"]`;
    const hash = sealHash(seq, prev, canonical);
    rows.push({ seq: String(seq), id: String(seq * 10), prev, hash, canonical });
    prev = hash;
  }
  return rows;
}

function walk(rows: Row[], end = rows.length, anchor?: { seq: number; hash: string }) {
  const walker = new ChainWalker({ seq: 0, hash: GENESIS_HASH, before: null }, end, anchor);
  for (const row of rows) if (!walker.push(row.seq, row.id, row.prev, row.hash, row.canonical)) break;
  return { walker, stop: walker.finish() };
}

describe("ChainWalker", () => {
  it("accepts an intact chain and ends on its head", () => {
    const rows = makeChain(10);
    const { walker, stop } = walk(rows);
    expect(stop).toBeNull();
    expect(walker).toMatchObject({ checked: 10, seq: 10, hash: rows[9]!.hash, before: rows[8]!.hash });
  });

  it("names a row whose content no longer matches its hash as changed", () => {
    const rows = makeChain(10);
    rows[4]!.canonical = '[50, "event 5, edited"]';
    const { walker, stop } = walk(rows);
    expect(stop).toEqual({ kind: "break", found: { seq: 5, id: "50", problem: "changed", detail: expect.stringContaining("modified") } });
    expect(walker.checked).toBe(4);
  });

  it("names a changed last row as changed too (no next row to consult)", () => {
    const rows = makeChain(3);
    rows[2]!.hash = "e".repeat(64);
    expect(walk(rows).stop).toMatchObject({ found: { seq: 3, problem: "changed" } });
  });

  it("names a bad row that the next row chains past as inserted", () => {
    const rows = makeChain(6);
    const intruder: Row = { seq: "4", id: "999", prev: rows[2]!.hash, hash: "f".repeat(64), canonical: "[999]" };
    const shifted = rows.slice(3).map((row) => ({ ...row, seq: String(Number(row.seq) + 1) }));
    expect(walk([...rows.slice(0, 3), intruder, ...shifted], 7).stop).toMatchObject({ found: { seq: 4, id: "999", problem: "inserted" } });
  });

  it("names a seal whose event is gone as deleted, naming the event", () => {
    const rows = makeChain(6);
    rows[2]!.canonical = null;
    const { walker, stop } = walk(rows);
    expect(stop).toEqual({ kind: "break", found: { seq: 3, id: "30", problem: "deleted", detail: "the event sealed at seq 3 (id 30) no longer exists" } });
    expect(walker).toMatchObject({ checked: 2, seq: 2, id: "20" });
    // The last seal too, with no next row to consult.
    const last = makeChain(3);
    last[2]!.canonical = null;
    expect(walk(last).stop).toMatchObject({ found: { seq: 3, id: "30", problem: "deleted" } });
  });

  it("names a seal of a missing event that the next row chains past as inserted", () => {
    const rows = makeChain(5);
    const intruder: Row = { seq: "3", id: "777", prev: rows[1]!.hash, hash: "d".repeat(64), canonical: null };
    const shifted = rows.slice(2).map((row) => ({ ...row, seq: String(Number(row.seq) + 1) }));
    expect(walk([...rows.slice(0, 2), intruder, ...shifted], 6).stop).toMatchObject({ found: { seq: 3, id: "777", problem: "inserted" } });
  });

  it("names a gap in seq as deleted, and a missing range end too", () => {
    const rows = makeChain(8);
    expect(walk([...rows.slice(0, 3), ...rows.slice(5)]).stop).toMatchObject({ found: { seq: 4, id: null, problem: "deleted", detail: "seq 4..5 missing from the chain" } });
    expect(walk(rows.slice(0, 6), 8).stop).toMatchObject({ found: { seq: 7, problem: "deleted", detail: "seq 7..8 missing from the chain" } });
  });

  it("hands a broken link on with the two hashes before it", () => {
    const rows = makeChain(6);
    rows[3]!.prev = "a".repeat(64);
    expect(walk(rows).stop).toEqual({
      kind: "link",
      link: { seq: 4, id: "40", prevHash: "a".repeat(64), hash: rows[3]!.hash, canonical: rows[3]!.canonical, expectedPrev: rows[2]!.hash, beforePrev: rows[1]!.hash },
    });
  });

  it("reads one row past its range only to settle a verdict", () => {
    const rows = makeChain(6);
    const clean = walk(rows, 4);
    expect(clean.stop).toBeNull();
    expect(clean.walker.seq).toBe(4);
    rows[3]!.hash = "c".repeat(64);
    expect(walk(rows, 4).stop).toMatchObject({ found: { seq: 4, problem: "changed" } });
  });

  it("stops at a published head that the chain no longer holds", () => {
    const rows = makeChain(5);
    expect(walk(rows, 5, { seq: 3, hash: rows[2]!.hash! }).stop).toBeNull();
    expect(walk(rows, 5, { seq: 3, hash: "9".repeat(64) }).stop).toMatchObject({ found: { seq: 3, problem: "rewritten" } });
  });
});
