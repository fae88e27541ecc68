// The sealer on a real PostgreSQL: events are chained in id order from the genesis hash with no
// gap, a transaction still running holds back only what it could still precede, two sealers
// make one chain; every insert queues its events, and the database refuses every other change
// to the log, its seals and its queue.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { startAuditSealer, type AuditSealer } from "@/lib/audit/audit-sealer";
import { CANONICAL_COLUMNS, GENESIS_HASH, canonicalSql, sealHash } from "@/lib/audit/canonical-event";
import { recordAudit } from "@/lib/audit/record";
import { AUDIT_LOCK_SPACE, SEALER_LOCK_KEY, sealEvents } from "@/lib/audit/seal-events";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { appendEvents, chain, sealAll, unsealed } from "./audit-seal-fixtures";

const opened: Array<pg.Client | pg.Pool> = [];
const sealers: AuditSealer[] = [];

afterEach(async () => {
  await Promise.all(sealers.splice(0).map((sealer) => sealer.stop()));
  await Promise.all(opened.splice(0).map((client) => client.end().catch(() => {})));
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  opened.push(client);
  await client.connect();
  return client;
}

/** Seals until `done` holds or the deadline passes (other databases' transactions may hold rows back for a moment). */
async function sealUntil(done: () => Promise<boolean>, maxHoldMs: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("sealing did not get there in 10 s");
    await sealAll({ maxHoldMs }, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function oneRound(maxHoldMs: number) {
  const client = await pool().connect();
  try {
    return await sealEvents(client, { maxHoldMs });
  } finally {
    client.release();
  }
}

async function queued(): Promise<string[]> {
  return (await pool().query<{ id: string }>("SELECT event_id::text AS id FROM audit_unsealed ORDER BY event_id")).rows.map((row) => row.id);
}

async function expectIdOrder(): Promise<void> {
  const rows = await chain();
  const ids = rows.map((row) => Number(row.id));
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, index) => index + 1));
}

describe("the sealer", () => {
  it("chains every row in id order from the genesis hash, gapless, each hash recomputable", async () => {
    await recordAudit(db(), { type: "system", via: "test" }, { type: "test.recorded", data: { before: null, after: { name: "Zoë" } } });
    await appendEvents(25);
    expect(await sealAll({ batchSize: 10 })).toBe(26);
    await expectIdOrder();
    const { rows } = await pool().query<{ seq: string; prev_hash: string; hash: string; canonical: string }>(
      `SELECT s.seq::text, s.prev_hash, s.hash, ${canonicalSql("e")} AS canonical FROM audit_seal AS s JOIN audit_event AS e ON e.id = s.event_id ORDER BY s.seq`,
    );
    expect(rows).toHaveLength(26);
    expect(await queued()).toEqual([]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    rows.forEach((row, index) => {
      expect(row.hash).toBe(sealHash(row.seq, row.prev_hash, row.canonical));
      if (index > 0) expect(row.prev_hash).toBe(rows[index - 1]!.hash);
    });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 26, head: { seq: 26, hash: rows[25]!.hash } });
  });

  it("holds back rows a running transaction could still precede, then seals the whole chain in id order", async () => {
    const before = await appendEvents(3);
    const open = await connect();
    await open.query("BEGIN");
    const [late] = await appendEvents(1, open);
    const after = await appendEvents(5);
    expect(Number(late)).toBeLessThan(Number(after[0]));

    await sealUntil(async () => (await unsealed(before)) === 0, 60_000);
    // Sealing them now could put the open transaction's smaller id behind them.
    expect(await unsealed(after)).toBe(5);
    const round = await oneRound(60_000);
    expect(round).toMatchObject({ locked: true, sealed: 0 });
    expect(round.held).toBeGreaterThanOrEqual(5);

    await open.query("COMMIT");
    await sealUntil(async () => (await unsealed([late!, ...after])) === 0, 60_000);
    await expectIdOrder();
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("after maxHoldMs seals what a long transaction holds back; its own row follows when it commits, and nothing is lost", async () => {
    const open = await connect();
    await open.query("BEGIN");
    const [late] = await appendEvents(1, open);
    const after = await appendEvents(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sealUntil(async () => (await unsealed(after)) === 0, 200);
    await open.query("COMMIT");
    await sealUntil(async () => (await unsealed([late!])) === 0, 200);

    const rows = await chain();
    const seqOf = new Map(rows.map((row) => [row.id, Number(row.seq)]));
    expect(seqOf.get(late!)).toBeGreaterThan(seqOf.get(after[3]!)!);
    const total = await pool().query<{ all: number; sealed: number; top: string }>(
      "SELECT (SELECT count(*)::int FROM audit_event) AS all, count(*)::int AS sealed, max(seq)::text AS top FROM audit_seal",
    );
    expect(total.rows[0]).toEqual({ all: rows.length, sealed: rows.length, top: String(rows.length) });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: rows.length });
  });

  it("leaves a chain the verifier reads whole when an event is sealed far from its id's neighbours", async () => {
    const open = await connect();
    await open.query("BEGIN");
    const [late] = await appendEvents(1, open);
    const after = await appendEvents(400);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await sealUntil(async () => (await unsealed(after)) === 0, 200);
    await open.query("COMMIT");
    await sealUntil(async () => (await unsealed([late!])) === 0, 200);
    const rows = await chain();
    expect(rows.at(-1)!.id).toBe(late);
    // Its event is read on its own (too far from the others for their range scan), in any range layout.
    for (const options of [{ rangeSize: 100_000, parallel: 1 }, { rangeSize: 64, parallel: 3 }]) {
      expect(await verifyAuditChain(options)).toMatchObject({ ok: true, checked: rows.length });
    }
  });

  it("with two sealers racing on separate pools, makes one valid chain that both worked on", async () => {
    const sealedBy = [0, 0];
    for (const index of [0, 1]) {
      const own = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      opened.push(own);
      sealers.push(startAuditSealer({ pool: own, intervalMs: 2, batchSize: 7, log: () => {}, onRound: (round) => (sealedBy[index]! += round.sealed) }));
    }
    let appended = 0;
    for (let burst = 0; burst < 40; burst += 1) {
      appended += (await appendEvents(1 + (burst % 9))).length;
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const deadline = Date.now() + 10_000;
    while ((await queued()).length > 0) {
      if (Date.now() > deadline) throw new Error("the sealers did not finish in 10 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(sealers.splice(0).map((sealer) => sealer.stop()));
    expect(sealedBy[0]! + sealedBy[1]!).toBeGreaterThanOrEqual(appended);
    expect(sealedBy[0]).toBeGreaterThan(0);
    expect(sealedBy[1]).toBeGreaterThan(0);
    const rows = await chain();
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, index) => index + 1));
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: rows.length });
  });

  it("lets exactly one of two simultaneous rounds hold the lock", async () => {
    await appendEvents(3);
    const [a, b] = await Promise.all([pool().connect(), pool().connect()]);
    try {
      await a.query("BEGIN");
      await a.query("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", [AUDIT_LOCK_SPACE, SEALER_LOCK_KEY]);
      expect(await sealEvents(b)).toEqual({ locked: false, sealed: 0, held: 0, head: null });
      await a.query("COMMIT");
      expect(await sealEvents(b)).toMatchObject({ locked: true });
    } finally {
      a.release();
      b.release();
    }
  });
});

describe("the append-only log", () => {
  const refused = { code: "23001" };

  it("queues every appended event in its own transaction: a rolled-back insert leaves nothing behind", async () => {
    const before = await queued();
    const ids = await appendEvents(3);
    await recordAudit(db(), { type: "system", via: "test" }, { type: "test.recorded", data: {} });
    const plain = (await pool().query<{ id: string }>("INSERT INTO audit_event (actor_type, type) VALUES ('system', 'test.plain') RETURNING id::text")).rows[0]!.id;
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await appendEvents(2, client);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    const now = await queued();
    expect(now).toHaveLength(before.length + 5);
    expect(now).toEqual(expect.arrayContaining([...ids, plain]));
    // An event inserted by hand is simply the next round's work, like any other.
    await sealAll();
    expect(await unsealed([...ids, plain])).toBe(0);
    expect(await queued()).toEqual([]);
  });

  it("refuses changing, deleting or truncating events, sealed or not", async () => {
    const [id, other] = await appendEvents(2);
    await expect(pool().query("UPDATE audit_event SET type = 'forged' WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("DELETE FROM audit_event WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("TRUNCATE audit_event")).rejects.toMatchObject(refused);
    await sealAll();
    await expect(pool().query("UPDATE audit_event SET data = '{}' WHERE id = $1", [other])).rejects.toMatchObject(refused);
    await expect(pool().query("UPDATE audit_event SET type = type WHERE id = $1", [other])).rejects.toMatchObject(refused);
    await expect(pool().query("DELETE FROM audit_event WHERE id = $1", [other])).rejects.toMatchObject(refused);
    expect((await pool().query("SELECT type FROM audit_event WHERE id = $1", [id])).rows[0]).toEqual({ type: "test.event" });
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("keeps seals insert-only", async () => {
    const [id] = await appendEvents(1);
    await sealAll();
    await expect(pool().query(`UPDATE audit_seal SET hash = '${"f".repeat(64)}' WHERE event_id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query("UPDATE audit_seal SET seq = seq + 1000 WHERE event_id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("DELETE FROM audit_seal WHERE event_id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("TRUNCATE audit_seal")).rejects.toMatchObject(refused);
    expect(await unsealed([id!])).toBe(0);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("lets the queue grow only by appending events and shrink only by sealing, and seals only queued events", async () => {
    const [sealed] = await appendEvents(1);
    await sealAll();
    const [waiting] = await appendEvents(1);
    await expect(pool().query("DELETE FROM audit_unsealed WHERE event_id = $1", [waiting])).rejects.toMatchObject(refused);
    await expect(pool().query("UPDATE audit_unsealed SET event_id = event_id + 1000000 WHERE event_id = $1", [waiting])).rejects.toMatchObject(refused);
    await expect(pool().query("TRUNCATE audit_unsealed")).rejects.toMatchObject(refused);
    expect(await queued()).toEqual([waiting]);
    const seal = "INSERT INTO audit_seal (seq, event_id, prev_hash, hash) VALUES (1000000, $1, repeat('0', 64), repeat('a', 64))";
    await expect(pool().query(seal, [sealed])).rejects.toMatchObject({ code: "23505" }); // sealed once only
    await expect(pool().query(seal, ["987654321"])).rejects.toMatchObject(refused); // no such event waiting
    // Queued by hand, a sealed event (or none) would fail every round on audit_seal's unique event_id.
    await expect(pool().query("INSERT INTO audit_unsealed (event_id) VALUES ($1)", [sealed])).rejects.toMatchObject(refused);
    await expect(pool().query("INSERT INTO audit_unsealed (event_id) VALUES (987654321)")).rejects.toMatchObject(refused);
    expect(await queued()).toEqual([waiting]);
  });

  it("is not stalled by a seal made by hand: the sealer chains on and the verifier names the forgery", async () => {
    await appendEvents(2);
    await sealAll();
    const [forged, after] = await appendEvents(2);
    const top = Number((await pool().query<{ n: string }>("SELECT max(seq)::text AS n FROM audit_seal")).rows[0]!.n);
    await pool().query("INSERT INTO audit_seal (seq, event_id, prev_hash, hash) VALUES ($1, $2, repeat('0', 64), repeat('a', 64))", [top + 1, forged]);
    expect(await queued()).not.toContain(forged);
    await sealAll();
    expect(await unsealed([after!])).toBe(0);
    expect(await queued()).toEqual([]);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, checked: top, firstBreak: { seq: top + 1, id: forged, problem: "inserted" } });
  });
});

describe("the canonical encoding", () => {
  it("covers every column of audit_event", async () => {
    const { rows } = await pool().query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_event' ORDER BY ordinal_position",
    );
    expect(rows.map((row) => row.column_name).sort()).toEqual([...CANONICAL_COLUMNS].sort());
  });

  it("renders a row the same way whatever the session's time zone and date style", async () => {
    const client = await connect();
    await client.query(`INSERT INTO audit_event (id, created_at, actor_type, type, ip, subject_id, data, reasoning)
      VALUES (990000001, '2026-11-28 10:00:00.123+00', 'system', 'test.fixed', E'a"b\\\\c\\nd', 'café', '{"b": [1, 2.50, null], "a": "é"}', NULL)`);
    const render = async () =>
      (await client.query<{ canonical: string }>(`SELECT ${canonicalSql("e")} AS canonical FROM audit_event AS e WHERE e.id = 990000001`)).rows[0]!.canonical;
    // Free text carries its UTF-8 length, so the newline inside the ip cannot pass for a separator.
    const expected = ["990000001", "1795860000123000", "system", "~", "~", "~", '7:a"b\\c\nd', "~", "~", "10:test.fixed", "~", "5:café", '{"a": "é", "b": [1, 2.50, null]}', "~", "~", "~"].join("\n");
    expect(await render()).toBe(expected);
    await client.query("SET TIME ZONE 'Pacific/Chatham'; SET datestyle = 'SQL, DMY'; SET extra_float_digits = -5; SET bytea_output = 'escape'");
    expect(await render()).toBe(expected);
  });
});
