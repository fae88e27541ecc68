// The verifier against tampering done by hand as a superuser (triggers off) — to events (changed,
// deleted) and to seals (deleted, renumbered, inserted, swapped): each kind is caught at the
// right sequence number, across range boundaries and with ranges walked in parallel; a rebuilt
// chain is caught by a head published earlier.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { canonicalSql, sealHash } from "@/lib/audit/canonical-event";
import { readAuditHead } from "@/lib/audit/audit-head";
import { verifyAuditChain, type VerifyOptions } from "@/lib/audit/verify-chain";
import { pool } from "@/lib/db/pool";
import { EVENT_AT, appendEvents, keepCopy, restoreCopy, rowAt, sealAll, tamper } from "./audit-seal-fixtures";

const LENGTH = 40;
// Small ranges walked three at a time, so breaks land at, before and after range edges (8, 16, …).
const SPLIT: VerifyOptions = { rangeSize: 8, parallel: 3 };
const WHOLE: VerifyOptions = { rangeSize: 1_000, parallel: 1 };

beforeAll(async () => {
  await appendEvents(LENGTH);
  expect(await sealAll({ batchSize: 16 })).toBe(LENGTH);
  await keepCopy();
});

afterEach(restoreCopy);

/** Moves the seals at seq >= from by `by` places (through a large offset, so the primary key never trips). */
async function shift(from: number, by: number): Promise<void> {
  await tamper("UPDATE audit_seal SET seq = seq + 1000000 WHERE seq >= $1", [from]);
  await tamper("UPDATE audit_seal SET seq = seq - 1000000 + $1 WHERE seq >= 1000000", [by]);
}

/** Appends an event with the triggers off (so it is not queued either); returns its id. */
async function forgedEvent(): Promise<string> {
  await tamper("INSERT INTO audit_event (actor_type, type) VALUES ('system', 'forged')");
  return (await pool().query<{ id: string }>("SELECT max(id)::text AS id FROM audit_event WHERE type = 'forged'")).rows[0]!.id;
}

describe.each([
  ["one range", WHOLE],
  ["ranges in parallel", SPLIT],
])("verifyAuditChain (%s)", (_name, options) => {
  it("accepts the intact chain and reports its head", async () => {
    const head = await rowAt(LENGTH);
    expect(await verifyAuditChain(options)).toMatchObject({ ok: true, checked: LENGTH, head: { seq: LENGTH, hash: head.hash }, from: 1 });
  });

  it.each([1, 16, 17, 40])("catches a changed field at seq %i", async (seq) => {
    await tamper(`UPDATE audit_event SET data = jsonb_set(data, '{price}', '1250') WHERE ${EVENT_AT}`, [seq]);
    const result = await verifyAuditChain(options);
    expect(result).toMatchObject({ ok: false, checked: seq - 1, firstBreak: { seq, problem: "changed", id: (await rowAt(seq)).id } });
    expect(result.head?.seq ?? 0).toBe(seq - 1);
  });

  it("catches a changed time and a changed actor", async () => {
    await tamper(`UPDATE audit_event SET created_at = created_at - interval '1 hour' WHERE ${EVENT_AT}`, [9]);
    expect((await verifyAuditChain(options)).firstBreak).toMatchObject({ seq: 9, problem: "changed" });
    await restoreCopy();
    await tamper(`UPDATE audit_event SET actor_type = 'person' WHERE ${EVENT_AT}`, [30]);
    expect((await verifyAuditChain(options)).firstBreak).toMatchObject({ seq: 30, problem: "changed" });
  });

  it.each([1, 8, 9, 23, 40])("catches a deleted event at seq %i, naming it", async (seq) => {
    const { id } = await rowAt(seq);
    await tamper(`DELETE FROM audit_event WHERE ${EVENT_AT}`, [seq]);
    const result = await verifyAuditChain(options);
    expect(result).toMatchObject({ ok: false, checked: seq - 1, firstBreak: { seq, problem: "deleted", id } });
    expect(result.firstBreak?.detail).toContain(`id ${id}`);
  });

  it.each([1, 8, 9, 23])("catches a deleted seal at seq %i", async (seq) => {
    await tamper("DELETE FROM audit_seal WHERE seq = $1", [seq]);
    expect(await verifyAuditChain(options)).toMatchObject({ ok: false, checked: seq - 1, firstBreak: { seq, problem: "deleted", id: null } });
  });

  it("catches a seal deleted and its event put back in the queue (it would be sealed again, later)", async () => {
    const { id } = await rowAt(12);
    await tamper("DELETE FROM audit_seal WHERE seq = 12");
    await tamper("INSERT INTO audit_unsealed (event_id) VALUES ($1)", [id]);
    expect((await verifyAuditChain(options)).firstBreak).toMatchObject({ seq: 12, problem: "deleted" });
  });

  it("catches a deleted seal when the seals after it were renumbered, and a deleted event with it", async () => {
    await tamper("DELETE FROM audit_seal WHERE seq = 20");
    await shift(21, -1);
    expect((await verifyAuditChain(options)).firstBreak).toMatchObject({ seq: 20, problem: "deleted" });
    await restoreCopy();
    await tamper(`DELETE FROM audit_event WHERE ${EVENT_AT}`, [20]);
    await tamper("DELETE FROM audit_seal WHERE seq = 20");
    await shift(21, -1);
    expect((await verifyAuditChain(options)).firstBreak).toMatchObject({ seq: 20, problem: "deleted" });
  });

  it.each([
    ["a correct hash", true],
    ["a made-up hash", false],
  ])("catches an event and its seal inserted in the middle with %s", async (_label, correct) => {
    await shift(12, 1);
    const before = await rowAt(11);
    const forged = await forgedEvent();
    let hash = "b".repeat(64);
    if (correct) {
      // Sealed the way the sealer would have: the forger knows the algorithm.
      const { rows } = await pool().query<{ canonical: string }>(`SELECT ${canonicalSql("e")} AS canonical FROM audit_event AS e WHERE e.id = $1`, [forged]);
      hash = sealHash(12, before.hash, rows[0]!.canonical);
    }
    await tamper("INSERT INTO audit_seal (seq, event_id, prev_hash, hash) VALUES (12, $1, $2, $3)", [forged, before.hash, hash]);
    expect(await verifyAuditChain(options)).toMatchObject({ ok: false, firstBreak: { seq: 12, id: forged, problem: "inserted" } });
  });

  it("catches a sealed-looking event appended after the head", async () => {
    const forged = await forgedEvent();
    await tamper("INSERT INTO audit_seal (seq, event_id, prev_hash, hash) VALUES ($1, $2, $3, $4)", [LENGTH + 1, forged, "c".repeat(64), "d".repeat(64)]);
    expect(await verifyAuditChain(options)).toMatchObject({ ok: false, checked: LENGTH, firstBreak: { seq: LENGTH + 1, problem: "inserted" } });
  });

  it("catches a seal pointed at another event", async () => {
    const { id } = await rowAt(16);
    // Out of the unique index's way first.
    await tamper("UPDATE audit_seal SET event_id = event_id + 1000000 WHERE seq = 16");
    await tamper("UPDATE audit_seal SET event_id = $1 WHERE seq = 15", [id]);
    expect(await verifyAuditChain(options)).toMatchObject({ ok: false, checked: 14, firstBreak: { seq: 15, id, problem: "changed" } });
  });

  it.each([
    [5, 6],
    [9, 30],
    [16, 17],
  ])("catches seals %i and %i swapped", async (a, b) => {
    await tamper("UPDATE audit_seal SET seq = CASE seq WHEN $1 THEN $2 ELSE $1 END + 1000000 WHERE seq IN ($1, $2)", [a, b]);
    await tamper("UPDATE audit_seal SET seq = seq - 1000000 WHERE seq > 1000000");
    expect(await verifyAuditChain(options)).toMatchObject({ ok: false, checked: a - 1, firstBreak: { seq: a, problem: "reordered" } });
  });

  it("walks from a given seq, trusting the row before it", async () => {
    await tamper(`UPDATE audit_event SET type = 'forged' WHERE ${EVENT_AT}`, [3]);
    expect(await verifyAuditChain({ ...options, from: 25 })).toMatchObject({ ok: true, checked: LENGTH - 24, from: 25, head: { seq: LENGTH } });
    expect(await verifyAuditChain({ ...options, from: 2 })).toMatchObject({ ok: false, firstBreak: { seq: 3, problem: "changed" } });
    await expect(verifyAuditChain({ ...options, from: LENGTH + 2 })).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("a head published earlier", () => {
  it("catches a chain cut short at its end, which alone still verifies", async () => {
    const head = await readAuditHead();
    await tamper("DELETE FROM audit_seal WHERE seq > 35");
    expect(await verifyAuditChain()).toMatchObject({ ok: true, head: { seq: 35 } });
    expect(await verifyAuditChain({ anchor: { seq: head!.seq, hash: head!.hash } })).toMatchObject({
      ok: false,
      firstBreak: { seq: 36, problem: "truncated" },
    });
  });

  it("catches a chain rebuilt after an edit, whose hashes all recompute", async () => {
    const head = await readAuditHead();
    await tamper(`UPDATE audit_event SET type = 'rewritten' WHERE ${EVENT_AT}`, [20]);
    const { rows } = await pool().query<{ seq: string; canonical: string }>(
      `SELECT s.seq::text, ${canonicalSql("e")} AS canonical FROM audit_seal AS s JOIN audit_event AS e ON e.id = s.event_id WHERE s.seq >= 20 ORDER BY s.seq`,
    );
    let prev = (await rowAt(19)).hash;
    for (const row of rows) {
      const hash = sealHash(row.seq, prev, row.canonical);
      await tamper("UPDATE audit_seal SET prev_hash = $2, hash = $3 WHERE seq = $1", [row.seq, prev, hash]);
      prev = hash;
    }
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: LENGTH });
    expect(await verifyAuditChain({ ...SPLIT, anchor: { seq: head!.seq, hash: head!.hash } })).toMatchObject({
      ok: false,
      firstBreak: { seq: LENGTH, problem: "rewritten" },
    });
    expect(await verifyAuditChain({ anchor: { seq: 10, hash: (await rowAt(10)).hash } })).toMatchObject({ ok: true });
  });
});
