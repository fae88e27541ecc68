// One indexing round of the viewer's free-text search: copies the instruction of the next sealed
// events into audit_search (trigram-indexed) and moves the watermark past them, in one transaction.
// It follows the seal, never the decision path: an agent's decision pays nothing for the index.
//
// Seal order, not id order. Ids come from a sequence and commit out of order; seals commit in seq
// order (one sealer at a time, each round after the previous one's commit). So "every seal up to
// seq W is indexed" stays true as later seals arrive, and the viewer checks what lies past W —
// seals above it and the events still queued for the sealer — directly (find-audit-ids.ts). The
// watermark and the rows it covers commit together, so a reader sees both or neither.
//
// One indexer at a time across every instance: a transaction-level advisory lock in the audit
// chain's key space; audit_search's primary key backs it up (a second copy of a row fails the
// round, which rolls back whole).
//
// audit_search is split into ranges of event ids (migration 20261201100000_audit_search_ranges), so
// that a search reads the ranges near its cursor first. The indexer creates a range when the first
// of its ids arrives, in the round's transaction, before copying.
// No `server-only`: the seed script uses it too.
import type pg from "pg";
import { AUDIT_LOCK_SPACE } from "@/lib/audit/seal-events";

/** In AUDIT_LOCK_SPACE: 1 is the sealer, 2 the head publisher, 3 this indexer. */
export const SEARCH_INDEXER_LOCK_KEY = 3;

/**
 * Seals read per round, as many as the sealer's: a backlog drains in steps of one short transaction
 * each. A copied instruction costs PostgreSQL about 45 µs, nearly all of it the trigram index's
 * (measured at 5 million events: the GIN pending list, flushed every few thousand rows).
 */
export const DEFAULT_SEARCH_BATCH = 5_000;

/** Event ids per range of audit_search: the same constant as audit_search_cover() in the migration. */
export const SEARCH_RANGE_WIDTH = 500_000;

export interface SearchRound {
  /** False when another instance held the indexer lock: nothing was read or written. */
  locked: boolean;
  /** Seals read past the watermark (the round is full when this equals the batch size). */
  read: number;
  /** Of those, events with an instruction, now in audit_search. */
  indexed: number;
  /** The watermark after the round. */
  watermark: string | null;
}

// The ranges the round's events fall in (usually one, which exists): created if missing. The DDL
// takes a lock on audit_search that a running search holds up for a moment, once per range.
const COVER = `
SELECT audit_search_cover(ARRAY(
  SELECT s.event_id FROM audit_seal AS s
  WHERE s.seq > (SELECT p.seq FROM audit_search_progress AS p WHERE p.id = 1) ORDER BY s.seq LIMIT $1
)) AS created`;

// The batch is read through audit_seal's key from the watermark, and each event looked up by its
// key; events without an instruction (sign-ins, list changes, outcomes) are passed over.
const ROUND = `
WITH mark AS MATERIALIZED (
  SELECT p.seq FROM audit_search_progress AS p WHERE p.id = 1
), batch AS MATERIALIZED (
  SELECT s.seq, s.event_id FROM audit_seal AS s WHERE s.seq > (SELECT seq FROM mark) ORDER BY s.seq LIMIT $1
), added AS (
  INSERT INTO audit_search (event_id, instruction)
  SELECT b.event_id, e.reasoning->>'instruction' FROM batch AS b JOIN audit_event AS e ON e.id = b.event_id
  WHERE e.reasoning->>'instruction' IS NOT NULL
  RETURNING 1
), moved AS (
  UPDATE audit_search_progress AS p SET seq = (SELECT max(b.seq) FROM batch AS b)
  WHERE p.id = 1 AND EXISTS (SELECT 1 FROM batch) RETURNING p.seq
)
SELECT (SELECT seq::text FROM mark) AS before, (SELECT count(*) FROM batch)::int AS read,
  (SELECT count(*) FROM added)::int AS indexed, (SELECT seq::text FROM moved) AS after`;

/** Runs one round on `client`, in its own transaction. Throws (and rolls back) on any failure. */
export async function indexAuditSearch(client: pg.ClientBase, options: { batchSize?: number } = {}): Promise<SearchRound> {
  const batchSize = options.batchSize ?? DEFAULT_SEARCH_BATCH;
  await client.query("BEGIN");
  try {
    const lock = await client.query<{ locked: boolean }>("SELECT set_config('jit', 'off', true), pg_try_advisory_xact_lock($1::int4, $2::int4) AS locked", [
      AUDIT_LOCK_SPACE,
      SEARCH_INDEXER_LOCK_KEY,
    ]);
    if (!lock.rows[0]?.locked) {
      await client.query("COMMIT");
      return { locked: false, read: 0, indexed: 0, watermark: null };
    }
    await client.query(COVER, [batchSize]);
    const { rows } = await client.query<{ before: string | null; read: number; indexed: number; after: string | null }>(ROUND, [batchSize]);
    const row = rows[0];
    // The migration writes the row; without it nothing would ever be indexed, silently.
    if (!row || row.before === null) throw new Error("audit_search_progress has no watermark row (id 1); nothing was indexed.");
    await client.query("COMMIT");
    return { locked: true, read: row.read, indexed: row.indexed, watermark: row.after ?? row.before };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
