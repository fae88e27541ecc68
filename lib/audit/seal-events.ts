// One sealing round: chains the next unsealed audit rows onto the head, in id order, in one
// transaction — one read, hashes computed here, one UPDATE … FROM unnest. A transaction-level
// advisory lock makes it one sealer at a time across every instance; the unique index on seq
// and the append-only trigger (a sealed row cannot be sealed again) back that up.
//
// Ordering. Ids come from a sequence, so a transaction that took its id earlier can commit after
// larger ids were sealed. Completeness never depends on timing: a round picks rows by `seq IS
// NULL` (never "ids above the last sealed one"), so a late row is sealed by the next round. To
// keep seq in id order as well, a round seals visible rows only up to the first one whose
// inserting transaction is not older than the snapshot's xmin — while an older transaction is
// still running it may yet commit a smaller id. A row held back longer than maxHoldMs is sealed
// anyway, so an unrelated long transaction (a bulk import, a session left idle in a transaction)
// costs order, not lag.
// No `server-only`: the CLI and the benchmark use it too.
import type pg from "pg";
import { GENESIS_HASH, canonicalSql, sealHash } from "@/lib/audit/canonical-event";

/** "MNDS": advisory lock space of the audit chain (1 = the sealer, 2 = the head publisher). */
export const AUDIT_LOCK_SPACE = 0x4d4e4453;
export const SEALER_LOCK_KEY = 1;

export const DEFAULT_SEAL_BATCH = 5_000;
export const DEFAULT_MAX_HOLD_MS = 2_000;

export interface SealOptions {
  /** Most rows chained in one round (one UPDATE statement). */
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
// xmax - xmin. Rows are read through the seq index's NULL range (ORDER BY seq, all NULL), never the
// primary key, so a round costs the unsealed rows, whatever the planner's statistics say. That
// range is in physical order: behind a backlog larger than a batch, seq follows id order within
// each batch rather than across batches (the chain is complete either way).
const CANDIDATES = `
WITH snap AS MATERIALIZED (
  SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax FROM pg_current_snapshot() AS s
), unsealed AS MATERIALIZED (
  SELECT e.id, e.xmin::text::bigint AS xid, e.created_at, ${canonicalSql("e")} AS canonical
  FROM audit_event AS e WHERE e.seq IS NULL ORDER BY e.seq LIMIT $1
)
SELECT u.id::text AS id, u.canonical,
  bool_and(((snap.xmax - u.xid) & 4294967295) > (snap.xmax - snap.xmin) OR u.created_at < now() - $2 * interval '1 millisecond')
    OVER (ORDER BY u.id) AS ready
FROM unsealed AS u CROSS JOIN snap
ORDER BY u.id`;

const SEAL = `
UPDATE audit_event AS e SET seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(id, seq, prev_hash, hash)
WHERE e.id = u.id AND e.seq IS NULL`;

// Ordered by the column, not the text alias of the same name (which would sort "999" after "1000").
export const HEAD_SQL = "SELECT e.seq::text AS seq, e.hash FROM audit_event AS e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1";

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
  const { rows } = await client.query<{ id: string; canonical: string; ready: boolean }>({
    text: CANDIDATES,
    values: [batchSize, maxHoldMs],
  });
  const ids: string[] = [];
  const seqs: string[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  let seq = head ? BigInt(head.seq) : 0n;
  let prev = head?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    if (!row.ready) break;
    seq += 1n;
    const hash = sealHash(seq, prev, row.canonical);
    ids.push(row.id);
    seqs.push(seq.toString());
    prevs.push(prev);
    hashes.push(hash);
    prev = hash;
  }
  const held = rows.length - ids.length;
  if (ids.length === 0) return { locked: true, sealed: 0, held, head };
  const updated = await client.query(SEAL, [ids, seqs, prevs, hashes]);
  // Only a row sealed behind the lock's back (by hand, with the trigger off) can make this differ.
  if (updated.rowCount !== ids.length) throw new Error(`Sealing expected ${ids.length} rows and updated ${updated.rowCount ?? 0}; nothing was sealed.`);
  return { locked: true, sealed: ids.length, held, head: { seq: seq.toString(), hash: prev } };
}
