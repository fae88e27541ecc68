// The chain's current head — the last sealed row's seq and hash, and when that event happened.
// Published outside the database (`mandate audit head`, the head webhook), it lets anyone later
// prove the log still contains that exact row: replacing the whole log would change it.
// No `server-only`: the CLI uses it too.
import type pg from "pg";
import { pool as sharedPool } from "@/lib/db/pool";

export interface AuditHead {
  seq: number;
  hash: string;
  /** The time of the head event (ISO 8601). */
  at: string;
}

const HEAD = `SELECT e.seq::text AS seq, e.hash, e.created_at AS at FROM audit_event AS e
WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1`;

/** The head, or null while nothing is sealed yet. */
export async function readAuditHead(client: pg.Pool | pg.ClientBase = sharedPool()): Promise<AuditHead | null> {
  const row = (await client.query<{ seq: string; hash: string; at: Date }>(HEAD)).rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash, at: row.at.toISOString() } : null;
}
