// The kill switch (DESIGN.md §3, issue 6): one click by an owner, technical owner or admin stops
// an agent. In one transaction: the state (after the decision lock, so no decision that starts
// after this answer can be allowed on any instance), its waiting checkpoints cancelled, its
// delegations from and to it revoked, and — forced only — every key revoked. A graceful kill
// keeps the keys so work already allowed can still report its outcome; nothing new is allowed.
//
// Pressing it again (lib/kill/kill-rules.ts): a forced kill over a graceful one upgrades it (keys
// revoked then); the same mode again, or graceful over forced, changes nothing and says so
// (`changed: false`) — a double click must not fail, and must not write a second kill.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { revokeAgentKeys } from "@/lib/credentials/revoke-all-credentials";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { lockDecisionState, STOP_TRANSACTION } from "@/lib/decisions/lock-decision-state";
import type { KillMode } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";
import type { Caller } from "@/lib/people/assert-can";
import { auditRefusal } from "@/lib/kill/audit-refusal";
import { killVerdict } from "@/lib/kill/kill-rules";
import { killAgentSchema } from "@/lib/kill/kill-schemas";
import { cancelPendingCheckpoints, endDelegations } from "@/lib/kill/release-agent";

export interface AgentKilled {
  slug: string;
  name: string;
  /** False when the agent was already killed at least this hard: nothing was written. */
  changed: boolean;
  mode: KillMode;
  stateVersion: number;
  released?: { revokedKeys: string[]; endedDelegations: number; cancelledCheckpoints: number };
}

export async function killAgent(person: Caller, actor: Actor, input: unknown): Promise<AgentKilled> {
  const parsed = killAgentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The kill is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, mode, reason } = parsed.data;

  return auditRefusal(actor, { type: "agent.kill.refused", agentId, data: { mode, reason: reason ?? null } }, () =>
    db().$transaction(async (tx) => {
      // The right first (a plain read): someone without it never holds the decision lock.
      await assertAgentRight(tx, person, agentId, "agent.kill");
      await lockDecisionState(tx, { agentIds: [agentId] });
      const agent = await tx.agent.findUniqueOrThrow({
        where: { id: agentId },
        select: { slug: true, name: true, status: true, stateMode: true, stateVersion: true },
      });
      const verdict = killVerdict({ status: agent.status, mode: agent.stateMode }, mode);
      if (verdict.kind === "refused") throw new AppError("conflict", `${agent.slug} is ${agent.status}: ${verdict.reason}.`);
      if (verdict.kind === "unchanged") {
        return { slug: agent.slug, name: agent.name, changed: false, mode: agent.stateMode ?? mode, stateVersion: agent.stateVersion };
      }
      const upgrade = verdict.kind === "upgrade";

      const now = new Date();
      const reasonText = reason ?? (upgrade ? "Graceful kill made forced." : "");
      // Conditional on what was read: under the lock nothing else moves it, but a stale read must never stack.
      const updated = await tx.agent.updateMany({
        where: { id: agentId, status: agent.status, stateVersion: agent.stateVersion },
        data: { status: "killed", stateMode: mode, stateReason: reason ?? (upgrade ? undefined : null), stateChangedAt: now, stateVersion: { increment: 1 } },
      });
      if (updated.count !== 1) throw new AppError("conflict", "The agent's state changed in the meantime; reload and try again.");
      const stateVersion = agent.stateVersion + 1;
      await notifyChange(tx, { kind: "agent", id: agentId, agentId });

      const note = `Cancelled: the agent was killed (${mode}).`;
      const released = {
        revokedKeys: mode === "forced" ? (await revokeAgentKeys(tx, actor, agentId, `The agent was killed (forced)${reason ? `: ${reason}` : "."}`)).prefixes : [],
        endedDelegations: await endDelegations(tx, agentId, now),
        cancelledCheckpoints: await cancelPendingCheckpoints(tx, { agentId }, note, now),
      };
      await tx.stateChange.create({
        data: { kind: "kill", scope: "agent", agentId, mode, fromStatus: agent.status, toStatus: "killed", reason: reasonText, actorPersonId: person.id, createdAt: now },
      });
      await recordAudit(tx, actor, {
        type: "agent.killed",
        agentId,
        subjectType: "agent",
        subjectId: agentId,
        data: {
          before: { status: agent.status, mode: agent.stateMode, stateVersion: agent.stateVersion },
          after: { status: "killed", mode, stateVersion },
          reason: reason ?? null,
          released,
        },
      });
      return { slug: agent.slug, name: agent.name, changed: true, mode, stateVersion, released };
    }, STOP_TRANSACTION),
  );
}
