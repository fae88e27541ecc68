// Revive (DESIGN.md §3): an owner or admin brings a killed agent back, with a reason. It comes
// back suspended — going live again is the separate, checked activation step — and, since a kill
// is an incident, at intern maturity unless an admin keeps its level and says why. Keys revoked
// by a forced kill stay revoked: the owners issue new ones.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { lockDecisionState } from "@/lib/decisions/lock-decision-state";
import type { Maturity } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";
import type { Caller } from "@/lib/people/assert-can";
import { auditRefusal } from "@/lib/kill/audit-refusal";
import { reviveAgentSchema } from "@/lib/kill/kill-schemas";

export interface AgentRevived {
  slug: string;
  maturity: Maturity;
  maturityKept: boolean;
  stateVersion: number;
}

export async function reviveAgent(person: Caller, actor: Actor, input: unknown): Promise<AgentRevived> {
  const parsed = reviveAgentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The revive is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, reason, keepMaturity } = parsed.data;

  return auditRefusal(actor, { type: "agent.revive.refused", agentId, data: { reason, keepMaturity: keepMaturity ? true : false } }, () =>
    db().$transaction(async (tx) => {
      await assertAgentRight(tx, person, agentId, "agent.revive");
      if (keepMaturity && !person.roles.includes("admin")) {
        throw new AppError("forbidden", "Only an admin can keep a revived agent's maturity; without that it starts again as an intern.");
      }
      await lockDecisionState(tx, { agentIds: [agentId] });
      const agent = await tx.agent.findUniqueOrThrow({
        where: { id: agentId },
        select: { slug: true, status: true, maturity: true, stateMode: true, stateVersion: true },
      });
      if (agent.status !== "killed") throw new AppError("conflict", `${agent.slug} is ${agent.status}, not killed: there is nothing to revive.`);

      const now = new Date();
      const maturity: Maturity = keepMaturity ? agent.maturity : "intern";
      const updated = await tx.agent.updateMany({
        where: { id: agentId, status: "killed", stateVersion: agent.stateVersion },
        data: { status: "suspended", maturity, stateMode: null, stateReason: reason, stateChangedAt: now, stateVersion: { increment: 1 } },
      });
      if (updated.count !== 1) throw new AppError("conflict", "The agent's state changed in the meantime; reload and try again.");
      const stateVersion = agent.stateVersion + 1;
      await notifyChange(tx, { kind: "agent", id: agentId, agentId });
      await tx.stateChange.create({
        data: { kind: "revive", scope: "agent", agentId, fromStatus: "killed", toStatus: "suspended", reason, actorPersonId: person.id, createdAt: now },
      });
      // One row for the whole revive, maturity included: it is one decision by one person.
      await recordAudit(tx, actor, {
        type: "agent.revived",
        agentId,
        subjectType: "agent",
        subjectId: agentId,
        data: {
          before: { status: "killed", mode: agent.stateMode, maturity: agent.maturity, stateVersion: agent.stateVersion },
          after: { status: "suspended", mode: null, maturity, stateVersion },
          reason,
          maturity: keepMaturity ? { kept: true, reason: keepMaturity.reason } : { kept: false, reset: agent.maturity !== "intern" },
        },
      });
      return { slug: agent.slug, maturity, maturityKept: Boolean(keepMaturity), stateVersion };
    }),
  );
}
