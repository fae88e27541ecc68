// A kill drill nobody acknowledges fails. An agent that is not running, or runs without the SDK's
// watcher, never answers; left `pending`, the drill would say "waiting for the agent" forever and
// the status body would keep carrying it. After the acknowledgement window the drill is `failed`
// with no latency (it never arrived), one audit row each (system actor), and the agent's status
// caches on every instance are told at commit, so the drill leaves the status body. A late
// acknowledgement then gets ack-drill's 409 ("it is failed"). Run by the periodic sweeper
// (lib/approvals/checkpoint-sweeper.ts), which already elects one instance per round.
import "server-only";
import type pg from "pg";
import { z } from "zod";
import { ConfigError } from "@/lib/config/env";
import { CHANGE_CHANNEL } from "@/lib/db/notify";

/** How long an agent has to acknowledge a drill before it fails (MANDATE_DRILL_ACK_WINDOW_SECONDS). */
export const DEFAULT_DRILL_ACK_WINDOW_SECONDS = 300;

const windowSeconds = z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().min(60).max(86_400));

/** MANDATE_DRILL_ACK_WINDOW_SECONDS, whole seconds from 60 to 86400; throws ConfigError with one clear line. */
export function drillAckWindowMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.MANDATE_DRILL_ACK_WINDOW_SECONDS?.trim();
  if (raw === undefined || raw === "") return DEFAULT_DRILL_ACK_WINDOW_SECONDS * 1000;
  // At least a minute: a drill's own threshold is at most 30 s (kill-schemas), and a shorter
  // window would fail drills that an agent polling every half minute was about to acknowledge.
  const parsed = windowSeconds.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`MANDATE_DRILL_ACK_WINDOW_SECONDS must be a whole number of seconds from 60 to 86400, not "${raw}".`);
  return parsed.data * 1000;
}

// SKIP LOCKED: an acknowledgement holding the row wins; the drill is then no longer pending.
const FAIL_SQL = `
WITH due AS (
  SELECT id FROM kill_drill
  WHERE status = 'pending' AND started_at <= $1::timestamptz - $2 * interval '1 millisecond'
  ORDER BY started_at
  LIMIT $3
  FOR UPDATE SKIP LOCKED
), failed AS (
  UPDATE kill_drill k SET status = 'failed'
  FROM due WHERE k.id = due.id AND k.status = 'pending'
  RETURNING k.id, k.agent_id, k.started_at, k.threshold_ms
), audited AS (
  INSERT INTO audit_event (actor_type, agent_id, type, subject_type, subject_id, data)
  SELECT 'system', agent_id, 'kill_drill.unacknowledged', 'kill_drill', id::text,
    jsonb_build_object('before', jsonb_build_object('status', 'pending'), 'after', jsonb_build_object('status', 'failed'),
      'startedAt', started_at, 'thresholdMs', threshold_ms, 'waitedSeconds', $2 / 1000, 'via', 'sweeper')
  FROM failed
)
SELECT id::text AS id, agent_id::text AS agent_id,
  pg_notify($4, json_build_object('kind', 'agent', 'id', agent_id, 'agentId', agent_id)::text) AS notified
FROM failed`;

/** Fails pending drills older than the window; returns them. Auto-commits unless `client` is in a transaction. */
export async function failUnacknowledgedDrills(
  client: Pick<pg.ClientBase, "query">,
  options: { now?: Date; windowMs?: number; limit?: number } = {},
): Promise<Array<{ id: string; agentId: string }>> {
  const { rows } = await client.query<{ id: string; agent_id: string }>(FAIL_SQL, [
    options.now ?? new Date(),
    options.windowMs ?? drillAckWindowMs(),
    options.limit ?? 500,
    CHANGE_CHANNEL,
  ]);
  return rows.map((row) => ({ id: row.id, agentId: row.agent_id }));
}
