// What an agent sees of its own checkpoint (GET /checkpoints/:id). The contract has four states:
//   pending | approved | denied | expired
// A checkpoint cancelled by people (kill, suspend, retire) is reported as `denied`, its note
// starting "Cancelled", because to the agent it means the same thing: do not act.
// `decidedBy` is the display name of the person whose vote settled it (the last approval that
// reached the quorum, or the deny); there is none for an expiry or a cancellation.
//
// An approval applies to its one decision and is used once: the first read that returns
// `approved` marks the checkpoint consumed (and audits it); the agent then performs the action
// under that decisionId and reports its outcome for it. Later reads still say `approved`, with the
// same `consumedAt`, so a retried request does not lose an approval — but a new attempt at the
// same action is a new decision with a new checkpoint.
import "server-only";
import type pg from "pg";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import type { Actor } from "@/lib/audit/record";

export type AgentCheckpointState = "pending" | "approved" | "denied" | "expired";

export interface CheckpointView {
  status: AgentCheckpointState;
  decisionId: string;
  expiresAt: string;
  decidedBy?: string;
  note?: string;
  decidedAt?: string;
  consumedAt?: string;
}

type AgentActor = Extract<Actor, { type: "agent" }>;

interface Row {
  status: "pending" | "approved" | "denied" | "expired" | "cancelled";
  decision_id: string;
  expires_at: Date;
  decided_at: Date | null;
  note: string | null;
  consumed_at: Date | null;
  decided_by: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Scoped by agent in the query itself: someone else's checkpoint is simply not found.
const READ = {
  name: "mandate-read-checkpoint",
  text: `
SELECT c.status::text AS status, c.decision_id::text AS decision_id, c.expires_at, c.decided_at, c.note, c.consumed_at,
  (SELECT p.name FROM approval a JOIN person p ON p.id = a.person_id
    WHERE a.checkpoint_id = c.id AND a.verdict::text = CASE c.status WHEN 'approved' THEN 'approve' WHEN 'denied' THEN 'deny' END
    ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS decided_by
FROM checkpoint c WHERE c.id = $1 AND c.agent_id = $2`,
};

const CONSUME = {
  name: "mandate-consume-checkpoint",
  text: `
WITH consumed AS (
  UPDATE checkpoint SET consumed_at = $3
  WHERE id = $1 AND agent_id = $2 AND status = 'approved' AND consumed_at IS NULL
  RETURNING id, agent_id, decision_id
), audited AS (
  INSERT INTO audit_event (actor_type, actor_agent_id, request_id, ip, user_agent, agent_id, type, subject_type, subject_id, data)
  SELECT 'agent', agent_id, $4, $5, $6, agent_id, 'checkpoint.consumed', 'checkpoint', id::text, jsonb_build_object('decisionId', decision_id)
  FROM consumed
)
SELECT count(*)::int AS consumed FROM consumed`,
};

/** The agent's view of its checkpoint; null when it is unknown, malformed or another agent's. */
export async function readCheckpointStatus(pool: pg.Pool, actor: AgentActor, checkpointId: string, now: Date = new Date()): Promise<CheckpointView | null> {
  if (!UUID.test(checkpointId)) return null;
  let row = await read(pool, checkpointId, actor.agentId);
  if (!row) return null;

  if (row.status === "pending" && row.expires_at.getTime() <= now.getTime()) {
    await expireCheckpoints(pool, { ids: [checkpointId], now, via: "read", requestId: actor.requestId });
    row = (await read(pool, checkpointId, actor.agentId)) ?? row;
  }
  if (row.status === "approved" && row.consumed_at === null) {
    // First read wins; a concurrent one that lost re-reads the winner's time.
    await pool.query({ ...CONSUME, values: [checkpointId, actor.agentId, now, actor.requestId ?? null, actor.ip ?? null, actor.userAgent ?? null] });
    row = (await read(pool, checkpointId, actor.agentId)) ?? row;
  }
  return toView(row);
}

async function read(pool: pg.Pool, id: string, agentId: string): Promise<Row | undefined> {
  const { rows } = await pool.query<Row>({ ...READ, values: [id, agentId] });
  return rows[0];
}

function toView(row: Row): CheckpointView {
  const status = row.status === "cancelled" ? "denied" : row.status;
  const note = row.status === "cancelled" ? cancellationNote(row.note) : (row.note ?? undefined);
  return {
    status,
    decisionId: row.decision_id,
    expiresAt: row.expires_at.toISOString(),
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(note ? { note } : {}),
    ...(row.decided_at ? { decidedAt: row.decided_at.toISOString() } : {}),
    ...(row.consumed_at ? { consumedAt: row.consumed_at.toISOString() } : {}),
  };
}

function cancellationNote(note: string | null): string {
  if (!note) return "Cancelled.";
  return /^cancel/i.test(note) ? note : `Cancelled: ${note}`;
}
