// An agent acknowledges a kill drill it saw on its status poll or stream (POST
// /agent/drills/:id/ack). Latency is measured by the database's clock — acknowledgement time minus
// the drill's start, both written by PostgreSQL — so neither the agent's clock nor ours counts.
// Pass when within the drill's threshold. Only the drill's own agent may acknowledge it, once: a
// drill of another agent and one that does not exist are the same 404 (no oracle); a second
// acknowledgement is 409.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError } from "@/lib/http/errors";

export interface DrillAcknowledged {
  drillId: string;
  status: "passed" | "failed";
  latencyMs: number;
  thresholdMs: number;
  acknowledgedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AckRow {
  id: string;
  status: "passed" | "failed";
  latency_ms: number;
  threshold_ms: number;
  acknowledged_at: Date;
}

const notFound = () => new AppError("not_found", "No such kill drill for this agent.");

export async function ackDrill(caller: { agentId: string }, actor: Actor, drillId: string): Promise<DrillAcknowledged> {
  if (!UUID.test(drillId)) throw notFound();
  const agentId = caller.agentId;
  return db().$transaction(async (tx) => {
    // Conditional on `pending`: of two concurrent acknowledgements the second waits for the first's
    // row lock, then matches nothing.
    const rows = await tx.$queryRaw<AckRow[]>`
      UPDATE kill_drill k
      SET acknowledged_at = m.at,
          latency_ms = m.ms,
          status = (CASE WHEN m.ms <= k.threshold_ms THEN 'passed' ELSE 'failed' END)::"DrillStatus"
      FROM (
        SELECT d.id, c.at, GREATEST(0, round(extract(epoch FROM c.at - d.started_at) * 1000))::int AS ms
        FROM kill_drill d CROSS JOIN (SELECT clock_timestamp() AS at) c
        WHERE d.id = ${drillId}::uuid
      ) m
      WHERE k.id = m.id AND k.agent_id = ${agentId}::uuid AND k.status = 'pending'
      RETURNING k.id, k.status::text AS status, k.latency_ms, k.threshold_ms, k.acknowledged_at`;
    const row = rows[0];
    if (!row) {
      const seen = await tx.$queryRaw<Array<{ status: string }>>`
        SELECT status::text AS status FROM kill_drill WHERE id = ${drillId}::uuid AND agent_id = ${agentId}::uuid`;
      if (seen[0]) throw new AppError("conflict", `This kill drill is no longer waiting for an acknowledgement (it is ${seen[0].status}).`);
      throw notFound();
    }
    await recordAudit(tx, actor, {
      type: "kill_drill.acknowledged",
      agentId,
      subjectType: "kill_drill",
      subjectId: row.id,
      data: { before: { status: "pending" }, after: { status: row.status, latencyMs: row.latency_ms }, thresholdMs: row.threshold_ms },
    });
    // The drill leaves the status body: every instance's status cache drops the agent at commit.
    await notifyChange(tx, { kind: "agent", id: agentId, agentId });
    return { drillId: row.id, status: row.status, latencyMs: row.latency_ms, thresholdMs: row.threshold_ms, acknowledgedAt: row.acknowledged_at };
  });
}
