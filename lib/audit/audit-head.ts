// The chain's current head — the last sealed row's seq and hash, and when that event happened.
// Published outside the database (`mandate audit head`, the head webhook), it lets anyone later
// prove the log still contains that exact row: replacing the whole log would change it.
// No `server-only`: the CLI uses it too.
import type pg from "pg";
import { pool as sharedPool } from "@/lib/db/pool";

export interface AuditHead {
  seq: number;
  hash: string;
  /** The time of the head event (ISO 8601); null if that event is gone (verify then says so). */
  at: string | null;
}

const HEAD = `SELECT s.seq::text AS seq, s.hash, e.created_at AS at FROM audit_seal AS s
LEFT JOIN audit_event AS e ON e.id = s.event_id ORDER BY s.seq DESC LIMIT 1`;

/** The head, or null while nothing is sealed yet. */
export async function readAuditHead(client: pg.Pool | pg.ClientBase = sharedPool()): Promise<AuditHead | null> {
  const row = (await client.query<{ seq: string; hash: string; at: Date | null }>(HEAD)).rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash, at: row.at?.toISOString() ?? null } : null;
}
