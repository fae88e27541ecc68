// POST /decisions/:id/outcome: the agent reports what happened after it acted. Only the agent
// that asked may report, once. An outcome for a decision that never allowed the action (a deny,
// or a checkpoint that was not approved) means the agent acted without permission or is
// confused: the report is refused (409) and the attempt itself is audited as an anomaly — that
// audit row commits although the request fails. Raw SQL in one short transaction: agents report
// an outcome for nearly every action they take.
import "server-only";
import type pg from "pg";
import type { Actor } from "@/lib/audit/record";
import type { OutcomeStatus } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

export interface OutcomeInput {
  status: OutcomeStatus;
  summary?: string;
  data?: Record<string, unknown>;
}

export interface RecordedOutcome {
  decisionId: string;
  status: OutcomeStatus;
  recordedAt: Date;
}

type AgentActor = Extract<Actor, { type: "agent" }>;

interface Target {
  effect: "allow" | "deny" | "pending";
  outcome_status: string | null;
  checkpoint_status: string | null;
  trace_id: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Scoped by agent in the query: someone else's decision is not found. The row lock makes a
// second, concurrent report wait and then see the first one's outcome.
const LOCK = `
SELECT d.effect::text AS effect, d.outcome_status::text AS outcome_status, c.status::text AS checkpoint_status, d.trace_id
FROM decision d LEFT JOIN checkpoint c ON c.decision_id = d.id
WHERE d.id = $1 AND d.agent_id = $2
FOR UPDATE OF d`;

const AUDIT_COLUMNS = "actor_type, actor_agent_id, request_id, ip, user_agent, agent_id, type, subject_type, subject_id, data, trace_id";

// Using an approval also consumes it, for an agent that reports without having read the checkpoint.
const RECORD = `
WITH updated AS (
  UPDATE decision SET outcome_status = $3, outcome_summary = $4, outcome_data = $5, outcome_at = $6
  WHERE id = $1 AND agent_id = $2 AND outcome_status IS NULL
  RETURNING id
), consumed AS (
  UPDATE checkpoint SET consumed_at = $6 WHERE decision_id = $1 AND status = 'approved' AND consumed_at IS NULL
)
INSERT INTO audit_event (${AUDIT_COLUMNS})
SELECT 'agent', $2, $7, $8, $9, $2, 'decision.outcome', 'decision', id::text, $10, $11 FROM updated`;

const ANOMALY = `INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ('agent', $2, $3, $4, $5, $2, 'decision.outcome_anomaly', 'decision', $1, $6, $7)`;

export async function recordOutcome(pool: pg.Pool, actor: AgentActor, decisionId: string, input: OutcomeInput, now: Date = new Date()): Promise<RecordedOutcome> {
  if (!UUID.test(decisionId)) throw notFound();
  const who = [actor.requestId ?? null, actor.ip ?? null, actor.userAgent ?? null];
  const client = await pool.connect();
  let broken: Error | undefined;
  let open = false;
  try {
    await client.query("BEGIN");
    open = true;
    const target = (await client.query<Target>(LOCK, [decisionId, actor.agentId])).rows[0];
    if (!target) throw notFound();
    if (target.outcome_status !== null) throw new AppError("conflict", `The outcome of this decision was already reported (${target.outcome_status}); report once.`);

    const refusal = notAllowed(target);
    if (refusal) {
      const data = { decisionId, effect: target.effect, checkpointStatus: target.checkpoint_status, reported: { status: input.status, summary: input.summary ?? null } };
      await client.query(ANOMALY, [decisionId, actor.agentId, ...who, data, target.trace_id]);
      await client.query("COMMIT");
      open = false;
      throw new AppError("conflict", refusal);
    }

    const data = { status: input.status, summary: input.summary ?? null, data: input.data ?? null };
    await client.query(RECORD, [decisionId, actor.agentId, input.status, input.summary ?? null, input.data ?? null, now, ...who, { after: data }, target.trace_id]);
    await client.query("COMMIT");
    open = false;
    return { decisionId, status: input.status, recordedAt: now };
  } catch (error) {
    if (open) await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError instanceof Error ? rollbackError : new Error("rollback failed")));
    throw error;
  } finally {
    client.release(broken);
  }
}

function notAllowed(target: Target): string | null {
  if (target.effect === "deny") return "This decision was a deny: there is no outcome to report, the action must not have run. The report is recorded as an anomaly.";
  if (target.effect === "pending" && target.checkpoint_status !== "approved") {
    const state = target.checkpoint_status === "cancelled" ? "was cancelled" : target.checkpoint_status === "pending" || !target.checkpoint_status ? "is not approved yet" : `was ${target.checkpoint_status}`;
    return `This decision's checkpoint ${state}: the action must not have run. The report is recorded as an anomaly.`;
  }
  return null;
}

function notFound(): AppError {
  return new AppError("not_found", "No such decision.");
}
