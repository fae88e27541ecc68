// Moves an agent through its lifecycle (admin): activate, suspend, retire. The update is
// conditional on the status read, so of two concurrent changes exactly one applies; the state
// version, the state-change row and the audit row commit with it. Retiring ends everything the
// agent still holds: its keys, its delegations and its pending checkpoints; suspending cancels
// its pending checkpoints (nobody should approve work a suspended agent may not do).
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AgentStatus } from "@/lib/generated/prisma/enums";
import { revokeAgentKeys } from "@/lib/credentials/revoke-all-credentials";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { checkTransition, REASON_REQUIRED, type LifecycleKind } from "@/lib/agents/agent-lifecycle";
import { loadActivationFacts, unmetActivationChecks } from "@/lib/agents/activation-checks";
import { loadManagedAgent } from "@/lib/agents/load-managed-agent";
import type { Caller } from "@/lib/people/assert-can";
import { lockDecisionState, STOP_TRANSACTION } from "@/lib/decisions/lock-decision-state";
import { cancelPendingCheckpoints, endDelegations } from "@/lib/kill/release-agent";

export const STATUS_REASON_MIN = 3;

export const changeAgentStatusSchema = z.object({
  agentId: z.uuid(),
  to: z.enum(AgentStatus),
  reason: z
    .string()
    .trim()
    .max(1000, "Keep the reason under 1,000 characters.")
    .optional()
    .transform((reason) => reason || undefined),
  /** The status the person saw; a change made meanwhile is then refused instead of stacked. */
  expectedStatus: z.enum(AgentStatus).optional(),
});

export type ChangeAgentStatusInput = z.input<typeof changeAgentStatusSchema>;

const AUDIT_TYPE: Record<LifecycleKind, string> = { activate: "agent.activated", suspend: "agent.suspended", retire: "agent.retired" };

export interface StatusChanged {
  slug: string;
  kind: LifecycleKind;
  status: AgentStatus;
  stateVersion: number;
}

export async function changeAgentStatus(person: Caller, actor: Actor, input: unknown): Promise<StatusChanged> {
  const parsed = changeAgentStatusSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The status change is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, to, reason, expectedStatus } = parsed.data;

  return db().$transaction(async (tx) => {
    // First, so decision flushes under way commit before this change and later ones read it:
    // no decision that starts after this answer can be allowed on the old state.
    await lockDecisionState(tx, { agentIds: [agentId] });
    const agent = await loadManagedAgent(tx, person, agentId);
    if (expectedStatus && expectedStatus !== agent.status) {
      throw new AppError("conflict", `The agent became ${agent.status} in the meantime; reload to see who changed it.`);
    }
    const verdict = checkTransition(agent.status, to);
    if (!verdict.ok) throw new AppError("conflict", verdict.reason);
    const { kind } = verdict;
    if (REASON_REQUIRED[kind] && (reason ?? "").length < STATUS_REASON_MIN) {
      throw new AppError("validation_failed", `Say why you ${kind} this agent.`, [{ path: "reason", message: `Give a reason of at least ${STATUS_REASON_MIN} characters.` }]);
    }
    if (kind === "activate") {
      const unmet = unmetActivationChecks(await loadActivationFacts(tx, agentId));
      if (unmet.length > 0) {
        throw new AppError(
          "conflict",
          `The agent cannot be activated yet: ${unmet.map((check) => check.requirement.toLowerCase()).join("; ")}.`,
          unmet.map((check) => ({ path: `checks.${check.key}`, message: `${check.requirement}. ${check.nextStep}` })),
        );
      }
    }

    const now = new Date();
    // Conditional on the status read above (one UPDATE … WHERE status = $read): of two concurrent
    // changes, the second waits for the first's row lock, then matches nothing.
    const updated = await tx.agent.updateMany({
      where: { id: agentId, status: agent.status },
      data: { status: to, stateVersion: { increment: 1 }, stateReason: reason ?? null, stateMode: null, stateChangedAt: now },
    });
    if (updated.count !== 1) throw new AppError("conflict", "The agent's status changed in the meantime; reload and try again.");
    const { stateVersion } = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: { stateVersion: true } });
    // Instances caching this agent (the decision hot path, the status poll) drop it at commit.
    await notifyChange(tx, { kind: "agent", id: agentId, agentId });
    const released =
      kind === "retire"
        ? await releaseEverything(tx, actor, agentId, reason ?? "", now)
        : kind === "suspend"
          ? { cancelledCheckpoints: await cancelPendingCheckpoints(tx, { agentId }, "Cancelled: the agent was suspended.", now) }
          : undefined;

    await tx.stateChange.create({
      data: { kind, scope: "agent", agentId, fromStatus: agent.status, toStatus: to, reason: reason ?? "", actorPersonId: person.id, createdAt: now },
    });
    await recordAudit(tx, actor, {
      type: AUDIT_TYPE[kind],
      agentId,
      subjectType: "agent",
      subjectId: agentId,
      data: {
        before: { status: agent.status, stateVersion: agent.stateVersion },
        after: { status: to, stateVersion },
        reason: reason ?? null,
        ...(released ? { released } : {}),
      },
    });
    return { slug: agent.slug, kind, status: to, stateVersion };
  }, STOP_TRANSACTION);
}

/** A retired agent holds nothing live: every key revoked, delegations ended, waiting checkpoints cancelled. */
async function releaseEverything(tx: Tx, actor: Actor, agentId: string, reason: string, now: Date) {
  const keys = await revokeAgentKeys(tx, actor, agentId, `The agent was retired: ${reason}`);
  const endedDelegations = await endDelegations(tx, agentId, now);
  const cancelledCheckpoints = await cancelPendingCheckpoints(tx, { agentId }, "Cancelled: the agent was retired.", now);
  return { revokedKeys: keys.prefixes, endedDelegations, cancelledCheckpoints };
}
