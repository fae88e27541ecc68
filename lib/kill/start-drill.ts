// A kill drill (DESIGN.md §2, "tested before it went live"): an owner starts one; the agent's
// status poll and stream carry `drill: { id }` at once — the state version is bumped and
// announced for that — and the agent's SDK acknowledges it (lib/kill/ack-drill.ts measures the
// time). One drill at a time per agent: starting one expires the one still waiting.
//
// No decision lock: a drill changes nothing an agent may do. The version bump can still turn a
// decision already being evaluated on the old version into a `state_changed` deny, for the
// moment until this instance hears of it — as a real kill would; that is part of the rehearsal.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import type { AgentStatus } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";
import type { Caller } from "@/lib/people/assert-can";
import { auditRefusal } from "@/lib/kill/audit-refusal";
import { DRILLABLE } from "@/lib/kill/kill-rules";
import { startDrillSchema } from "@/lib/kill/kill-schemas";

export interface DrillStarted {
  drillId: string;
  slug: string;
  thresholdMs: number;
  startedAt: Date;
  expiredDrills: number;
}

export async function startDrill(person: Caller, actor: Actor, input: unknown): Promise<DrillStarted> {
  const parsed = startDrillSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The drill is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, thresholdMs } = parsed.data;

  return auditRefusal(actor, { type: "kill_drill.start.refused", agentId, data: { thresholdMs } }, () =>
    db().$transaction(async (tx) => {
      await assertAgentRight(tx, person, agentId, "agent.kill");
      // Row lock: two drills started at once for one agent queue here, so one stays pending.
      const [agent] = await tx.$queryRaw<Array<{ slug: string; status: AgentStatus }>>`
        select slug, status::text as status from agent where id = ${agentId}::uuid for update`;
      if (!agent) throw new AppError("not_found", "No such agent.");
      if (!DRILLABLE.includes(agent.status)) {
        throw new AppError("conflict", `${agent.slug} is ${agent.status}: a drill rehearses stopping a live agent; ${agent.status === "killed" ? "revive it first" : "a retired agent has nothing to stop"}.`);
      }
      const { count: expiredDrills } = await tx.killDrill.updateMany({ where: { agentId, status: "pending" }, data: { status: "expired" } });
      // Started by the database's clock (the transaction's start, right after the click): the
      // acknowledgement is timed by the same clock (lib/kill/ack-drill.ts), never the app's.
      const [drill] = await tx.$queryRaw<Array<{ id: string; startedAt: Date }>>`
        insert into kill_drill (agent_id, started_by_id, threshold_ms, status, started_at)
        values (${agentId}::uuid, ${person.id}::uuid, ${thresholdMs}, 'pending', now())
        returning id::text as id, started_at as "startedAt"`;
      if (!drill) throw new Error("The kill drill was not written.");
      await tx.agent.update({ where: { id: agentId }, data: { stateVersion: { increment: 1 } } });
      await notifyChange(tx, { kind: "agent", id: agentId, agentId });
      await recordAudit(tx, actor, {
        type: "kill_drill.started",
        agentId,
        subjectType: "kill_drill",
        subjectId: drill.id,
        data: { thresholdMs, expiredDrills, before: { pendingDrill: expiredDrills > 0 }, after: { pendingDrill: drill.id } },
      });
      return { drillId: drill.id, slug: agent.slug, thresholdMs, startedAt: drill.startedAt, expiredDrills };
    }),
  );
}
