// The sealer on a real PostgreSQL: rows are chained in id order from the genesis hash with no
// gap, a transaction still running holds back only what it could still precede, two sealers
// make one chain, and the database refuses every other change to the log.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { startAuditSealer, type AuditSealer } from "@/lib/audit/audit-sealer";
import { CANONICAL_COLUMNS, GENESIS_HASH, SEAL_COLUMNS, canonicalSql, sealHash } from "@/lib/audit/canonical-event";
import { recordAudit } from "@/lib/audit/record";
import { AUDIT_LOCK_SPACE, SEALER_LOCK_KEY, sealEvents } from "@/lib/audit/seal-events";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { appendEvents, chain, sealAll } from "./audit-seal-fixtures";

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

async function unsealed(ids: readonly string[]): Promise<number> {
  const { rows } = await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE id = ANY($1::bigint[]) AND seq IS NULL", [ids]);
  return rows[0]!.n;
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
      `SELECT e.seq::text, e.prev_hash, e.hash, ${canonicalSql("e")} AS canonical FROM audit_event AS e ORDER BY e.seq`,
    );
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
      "SELECT count(*)::int AS all, count(seq)::int AS sealed, max(seq)::text AS top FROM audit_event",
    );
    expect(total.rows[0]).toEqual({ all: rows.length, sealed: rows.length, top: String(rows.length) });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: rows.length });
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
    while ((await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE seq IS NULL")).rows[0]!.n > 0) {
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

  it("refuses changing, deleting or truncating unsealed rows, and half a seal", async () => {
    const [id] = await appendEvents(1);
    await expect(pool().query("UPDATE audit_event SET type = 'forged' WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("UPDATE audit_event SET seq = 999999 WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("DELETE FROM audit_event WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("TRUNCATE audit_event")).rejects.toMatchObject(refused);
    expect((await pool().query("SELECT type FROM audit_event WHERE id = $1", [id])).rows[0]).toEqual({ type: "test.event" });
  });

  it("refuses changing or re-sealing a sealed row", async () => {
    const [id] = await appendEvents(1);
    await sealAll();
    await expect(pool().query("UPDATE audit_event SET data = '{}' WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`UPDATE audit_event SET hash = '${"f".repeat(64)}' WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query("UPDATE audit_event SET seq = seq, prev_hash = prev_hash, hash = hash WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("UPDATE audit_event SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = $1", [id])).rejects.toMatchObject(refused);
    await expect(pool().query("DELETE FROM audit_event WHERE id = $1", [id])).rejects.toMatchObject(refused);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("refuses a row inserted with a seal of its own", async () => {
    const forged = `INSERT INTO audit_event (actor_type, type, seq, prev_hash, hash) VALUES ('system', 'forged', 424242, '${GENESIS_HASH}', '${"a".repeat(64)}')`;
    await expect(pool().query(forged)).rejects.toMatchObject(refused);
    await expect(pool().query(`INSERT INTO audit_event (actor_type, type, hash) VALUES ('system', 'forged', '${"a".repeat(64)}')`)).rejects.toMatchObject(refused);
    expect((await pool().query("SELECT count(*)::int AS n FROM audit_event WHERE type = 'forged'")).rows[0]).toEqual({ n: 0 });
  });
});

describe("the canonical encoding", () => {
  it("covers every column of audit_event but the seal", async () => {
    const { rows } = await pool().query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_event' ORDER BY ordinal_position",
    );
    expect(rows.map((row) => row.column_name).sort()).toEqual([...CANONICAL_COLUMNS, ...SEAL_COLUMNS].sort());
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
