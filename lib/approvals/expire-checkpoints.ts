// A checkpoint nobody decided in time resolves to `expired`, which is a deny (DESIGN.md §4). One
// statement marks the overdue checkpoints, appends one audit row each (system actor) and
// announces each change, so waiting agents on every instance wake up; the NOTIFYs go out at
// commit. Called lazily when a checkpoint is read, and by the sweeper (checkpoint-sweeper.ts).
import "server-only";
import type pg from "pg";
import { CHANGE_CHANNEL } from "@/lib/db/notify";

export const EXPIRED_NOTE = "Expired: nobody decided in time.";

// The sweeper skips rows a person's decision holds (they are decided or swept next time); a
// reader waits for them instead, so it never reports `expired` for a click that won the race.
const expireSql = (mode: "sweep" | "read") => `
WITH due AS (
  SELECT id FROM checkpoint
  WHERE ${mode === "read" ? "id = ANY($2::uuid[]) AND " : "$2::uuid[] IS NULL AND "}status = 'pending' AND expires_at <= $1
  ORDER BY expires_at
  LIMIT $3
  FOR UPDATE${mode === "sweep" ? " SKIP LOCKED" : ""}
), expired AS (
  UPDATE checkpoint c SET status = 'expired', decided_at = $1, changed_at = $1, note = $4
  FROM due WHERE c.id = due.id AND c.status = 'pending'
  RETURNING c.id, c.agent_id, c.decision_id, c.expires_at
), audited AS (
  INSERT INTO audit_event (actor_type, request_id, agent_id, type, subject_type, subject_id, data)
  SELECT 'system', $5, agent_id, 'checkpoint.expired', 'checkpoint', id::text,
    jsonb_build_object('before', jsonb_build_object('status', 'pending'), 'after', jsonb_build_object('status', 'expired'),
      'decisionId', decision_id, 'expiresAt', expires_at, 'via', $6::text)
  FROM expired
)
SELECT id::text AS id, agent_id::text AS agent_id,
  pg_notify($7, json_build_object('kind', 'checkpoint', 'id', id, 'agentId', agent_id)::text) AS notified
FROM expired`;

const SWEEP_SQL = expireSql("sweep");
const READ_SQL = expireSql("read");

export interface ExpireOptions {
  now?: Date;
  /** Only these checkpoints (a lazy expiry on read); all overdue ones when omitted. */
  ids?: readonly string[];
  /** Most rows per call; default 500. */
  limit?: number;
  /** Recorded in the audit row: who noticed the expiry ("sweeper", "read", "decide"). */
  via: string;
  requestId?: string;
}

/** Expires overdue pending checkpoints; returns the ids it expired. Auto-commits unless `client` is in a transaction. */
export async function expireCheckpoints(client: Pick<pg.ClientBase, "query">, options: ExpireOptions): Promise<Array<{ id: string; agentId: string }>> {
  const sql = options.ids ? READ_SQL : SWEEP_SQL;
  const { rows } = await client.query<{ id: string; agent_id: string }>(sql, [
    options.now ?? new Date(),
    options.ids ? [...options.ids] : null,
    options.limit ?? 500,
    EXPIRED_NOTE,
    options.requestId ?? null,
    options.via,
    CHANGE_CHANNEL,
  ]);
  return rows.map((row) => ({ id: row.id, agentId: row.agent_id }));
}
