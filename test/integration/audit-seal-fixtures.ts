// Shared by the audit chain tests: varied events appended the way the hot path appends them (one
// multi-row INSERT), sealing to the end, and tampering as a superuser would — with the
// append-only triggers switched off for the one statement.
import type pg from "pg";
import { DEFAULT_SEAL_BATCH, sealEvents, type SealOptions } from "@/lib/audit/seal-events";
import { pool } from "@/lib/db/pool";

// Nulls, quotes, backslashes, non-ASCII, newlines in text columns, decimals and nesting in jsonb:
// everything the canonical encoding has to render the same way every time.
const APPEND = `
INSERT INTO audit_event (actor_type, request_id, ip, user_agent, type, subject_type, subject_id, data, reasoning, trace_id, parent_id)
SELECT 'system', 'req-' || n, CASE WHEN n % 3 = 0 THEN NULL ELSE '198.51.100.' || (n % 250) END, E'tester\\nline ' || n,
  'test.event', 'thing', n::text,
  jsonb_build_object('n', n, 'price', 12.50, 'note', E'caf\\u00e9 \\u2615 "quoted" \\\\ back', 'nested', jsonb_build_object('list', jsonb_build_array(1, 'two', NULL))),
  CASE WHEN n % 2 = 0 THEN jsonb_build_object('instruction', 'do ' || n) END,
  'trace-' || (n % 4), NULL
FROM generate_series(1, $1::int) AS n
RETURNING id::text`;

/** Appends n events in one statement (one transaction); returns their ids, ascending. */
export async function appendEvents(n: number, client: pg.Pool | pg.ClientBase = pool()): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(APPEND, [n]);
  return rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b));
}

/**
 * Seals round after round until nothing is left. Rows can be held back for a moment by any
 * transaction running on the server — other test databases' too (xids are cluster-wide) — so
 * held rows are waited for, up to waitMs.
 */
export async function sealAll(options: SealOptions = {}, waitMs = 10_000): Promise<number> {
  const deadline = Date.now() + waitMs;
  const client = await pool().connect();
  try {
    let total = 0;
    for (;;) {
      const round = await sealEvents(client, options);
      total += round.sealed;
      if (round.sealed === (options.batchSize ?? DEFAULT_SEAL_BATCH)) continue;
      if (round.held === 0 || Date.now() >= deadline) return total;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    client.release();
  }
}

/** Runs one statement with the audit_event triggers off, as a superuser editing history would. */
export async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    await client.query("ALTER TABLE audit_event DISABLE TRIGGER USER");
    await client.query(sql, values);
    await client.query("ALTER TABLE audit_event ENABLE TRIGGER USER");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** Keeps a copy of the whole table, for restore() after each tampering. */
export async function keepCopy(): Promise<void> {
  await pool().query("DROP TABLE IF EXISTS audit_event_copy");
  await pool().query("CREATE TABLE audit_event_copy AS SELECT * FROM audit_event");
}

export async function restoreCopy(): Promise<void> {
  await tamper("DELETE FROM audit_event");
  await tamper("INSERT INTO audit_event SELECT * FROM audit_event_copy");
}

export async function rowAt(seq: number): Promise<{ id: string; prev_hash: string; hash: string }> {
  const { rows } = await pool().query<{ id: string; prev_hash: string; hash: string }>(
    "SELECT id::text, prev_hash, hash FROM audit_event WHERE seq = $1",
    [seq],
  );
  if (!rows[0]) throw new Error(`no row at seq ${seq}`);
  return rows[0];
}

/** Sealed rows as (id, seq), in seq order. */
export async function chain(): Promise<Array<{ id: string; seq: string }>> {
  return (await pool().query<{ id: string; seq: string }>("SELECT e.id::text, e.seq::text FROM audit_event AS e WHERE e.seq IS NOT NULL ORDER BY e.seq")).rows;
}
