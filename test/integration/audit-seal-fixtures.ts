// Shared by the audit chain tests: varied events appended the way the hot path appends them (one
// multi-row INSERT), sealing to the end, and tampering as a superuser would — with the audit
// tables' triggers switched off for the one statement.
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

const TABLES = ["audit_event", "audit_seal", "audit_unsealed"] as const;

/** Runs one statement with the audit tables' triggers off, as a superuser editing history would. */
export async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    for (const table of TABLES) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(sql, values);
    for (const table of TABLES) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** Keeps a copy of the events, the seals and the queue, for restoreCopy() after each tampering. */
export async function keepCopy(): Promise<void> {
  for (const table of TABLES) {
    await pool().query(`DROP TABLE IF EXISTS ${table}_copy`);
    await pool().query(`CREATE TABLE ${table}_copy AS SELECT * FROM ${table}`);
  }
}

export async function restoreCopy(): Promise<void> {
  for (const table of TABLES) {
    await tamper(`DELETE FROM ${table}`);
    await tamper(`INSERT INTO ${table} SELECT * FROM ${table}_copy`);
  }
}

/** SQL condition on audit_event: the event sealed at seq $1. */
export const EVENT_AT = "id = (SELECT event_id FROM audit_seal WHERE seq = $1)";

/** The seal at `seq`: its event's id, its link and its hash. */
export async function rowAt(seq: number): Promise<{ id: string; prev_hash: string; hash: string }> {
  const { rows } = await pool().query<{ id: string; prev_hash: string; hash: string }>(
    "SELECT event_id::text AS id, prev_hash, hash FROM audit_seal WHERE seq = $1",
    [seq],
  );
  if (!rows[0]) throw new Error(`no seal at seq ${seq}`);
  return rows[0];
}

/** Sealed events as (id, seq), in seq order. */
export async function chain(): Promise<Array<{ id: string; seq: string }>> {
  return (await pool().query<{ id: string; seq: string }>("SELECT s.event_id::text AS id, s.seq::text FROM audit_seal AS s ORDER BY s.seq")).rows;
}

/** How many of these events have no seal yet. */
export async function unsealed(ids: readonly string[]): Promise<number> {
  const { rows } = await pool().query<{ n: number }>(
    "SELECT count(*)::int AS n FROM unnest($1::bigint[]) AS i(id) WHERE NOT EXISTS (SELECT 1 FROM audit_seal AS s WHERE s.event_id = i.id)",
    [ids],
  );
  return rows[0]!.n;
}
