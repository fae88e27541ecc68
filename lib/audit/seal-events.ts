// One sealing round: chains the next queued audit events onto the head, in id order, in one
// transaction — two reads, hashes computed here, one INSERT INTO audit_seal … unnest (whose
// trigger takes the events off the audit_unsealed queue). A transaction-level advisory lock makes
// it one sealer at a time across every instance; audit_seal's primary key on seq and unique
// event_id back that up.
//
// Ordering. Ids come from a sequence, so a transaction that took its id earlier can commit after
// larger ids were sealed. Completeness never depends on timing: every insert into audit_event
// queues its rows in the same transaction, and a round takes what is queued (never "ids above the
// last sealed one"), so a late row is sealed by the next round. To keep seq in id order as well,
// a round seals queued rows only up to the first one whose inserting transaction is not older
// than the snapshot's xmin — while an older transaction is still running it may yet commit a
// smaller id. A row held back longer than maxHoldMs is sealed anyway, so an unrelated long
// transaction (a bulk import, a session left idle in a transaction) costs order, not lag.
// No `server-only`: the CLI and the benchmark use it too.
import type pg from "pg";
import { GENESIS_HASH, canonicalSql, sealHash } from "@/lib/audit/canonical-event";

/** "MNDS": advisory lock space of the audit chain (1 = the sealer, 2 = the head publisher, 3 = the search indexer). */
export const AUDIT_LOCK_SPACE = 0x4d4e4453;
export const SEALER_LOCK_KEY = 1;

export const DEFAULT_SEAL_BATCH = 5_000;
export const DEFAULT_MAX_HOLD_MS = 2_000;

export interface SealOptions {
  /** Most rows chained in one round (one INSERT statement). */
  batchSize?: number;
  /** A committed row held back by an older running transaction is sealed anyway after this long. */
  maxHoldMs?: number;
}

export interface ChainHead {
  seq: string;
  hash: string;
}

export interface SealRound {
  /** False when another instance held the sealer lock: nothing was read or written. */
  locked: boolean;
  sealed: number;
  /** Committed rows left for a later round because an older transaction was still running. */
  held: number;
  /** The head after this round (null while nothing is sealed). */
  head: ChainHead | null;
}

// xmin is a 32-bit xid; the snapshot's bounds are 64-bit. (xmax - xid) mod 2^32 is how long ago
// the row's transaction started, which is older than the snapshot's xmin when it exceeds
// xmax - xmin (the queue row's xmin is its event's: one transaction). This read is narrow — ids
// and flags — so a backlog's batch never sorts wide rows, and it walks the queue in its key order
// and looks each event up by its key (a subquery, so the planner cannot turn it into a scan of
// audit_event); only an event too young to pass on its xid alone is looked up at all.
const CANDIDATES = `
WITH snap AS MATERIALIZED (
  SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax FROM pg_current_snapshot() AS s
), queued AS MATERIALIZED (
  SELECT q.event_id, q.xmin::text::bigint AS xid FROM audit_unsealed AS q ORDER BY q.event_id LIMIT $1
)
SELECT q.event_id::text AS id,
  bool_and(((snap.xmax - q.xid) & 4294967295) > (snap.xmax - snap.xmin)
    OR (SELECT e.created_at FROM audit_event AS e WHERE e.id = q.event_id) < now() - $2 * interval '1 millisecond')
    OVER (ORDER BY q.event_id) AS ready
FROM queued AS q CROSS JOIN snap
ORDER BY q.event_id`;

// The ready rows' canonical text, in whatever order the plan gives (matched up by id in Node).
const RENDER = `SELECT e.id::text AS id, ${canonicalSql("e")} AS canonical FROM audit_event AS e WHERE e.id = ANY($1::bigint[])`;

const SEAL = `
INSERT INTO audit_seal (seq, event_id, prev_hash, hash)
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`;

// Ordered by the column, not the text alias of the same name (which would sort "999" after "1000").
export const HEAD_SQL = "SELECT s.seq::text AS seq, s.hash FROM audit_seal AS s ORDER BY s.seq DESC LIMIT 1";

/** Runs one round on `client`, in its own transaction. Throws (and rolls back) on any failure. */
export async function sealEvents(client: pg.ClientBase, options: SealOptions = {}): Promise<SealRound> {
  const batchSize = options.batchSize ?? DEFAULT_SEAL_BATCH;
  const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  await client.query("BEGIN");
  try {
    const round = await sealLocked(client, batchSize, maxHoldMs);
    await client.query("COMMIT");
    return round;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function sealLocked(client: pg.ClientBase, batchSize: number, maxHoldMs: number): Promise<SealRound> {
  // JIT off for this transaction: a backlog's batch can pass jit_above_cost, and compiling costs more than it saves.
  const lock = await client.query<{ locked: boolean }>("SELECT set_config('jit', 'off', true), pg_try_advisory_xact_lock($1::int4, $2::int4) AS locked", [
    AUDIT_LOCK_SPACE,
    SEALER_LOCK_KEY,
  ]);
  if (!lock.rows[0]?.locked) return { locked: false, sealed: 0, held: 0, head: null };
  // Read after the lock: the previous holder's round has committed, so this is the real head.
  const head = (await client.query<ChainHead>(HEAD_SQL)).rows[0] ?? null;
  const { rows } = await client.query<{ id: string; ready: boolean }>({ text: CANDIDATES, values: [batchSize, maxHoldMs] });
  const ready = rows.findIndex((row) => !row.ready);
  const ids = (ready === -1 ? rows : rows.slice(0, ready)).map((row) => row.id);
  const held = rows.length - ids.length;
  if (ids.length === 0) return { locked: true, sealed: 0, held, head };
  const rendered = await client.query<{ id: string; canonical: string }>(RENDER, [ids]);
  const canonical = new Map(rendered.rows.map((row) => [row.id, row.canonical]));
  const seqs: string[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  let seq = head ? BigInt(head.seq) : 0n;
  let prev = head?.hash ?? GENESIS_HASH;
  for (const id of ids) {
    const text = canonical.get(id);
    // Events are never deleted and queue rows come only with their events: only a hand with the
    // triggers off gets here.
    if (text === undefined) throw new Error(`Audit event ${id} was queued but could not be read; nothing was sealed.`);
    seq += 1n;
    const hash = sealHash(seq, prev, text);
    seqs.push(seq.toString());
    prevs.push(prev);
    hashes.push(hash);
    prev = hash;
  }
  const inserted = await client.query(SEAL, [seqs, ids, prevs, hashes]);
  if (inserted.rowCount !== ids.length) throw new Error(`Sealing expected ${ids.length} rows and inserted ${inserted.rowCount ?? 0}; nothing was sealed.`);
  return { locked: true, sealed: ids.length, held, head: { seq: seq.toString(), hash: prev } };
}
