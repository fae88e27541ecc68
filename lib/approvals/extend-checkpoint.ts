// An approver who needs more time (to ask someone, to check a record) extends a checkpoint instead
// of letting it expire. Within policy limits only: the global policy that asked for the approval
// must allow extensions (max_extend_seconds > 0), the extension is at most that long, and a
// checkpoint is extended at most once — so "extend" can never keep an agent waiting forever.
// Checkpoints asked for by a written-list line alone have no policy, hence no extension. The same
// people who may decide may extend (approvers and admins, never the agent's deployer or owners);
// the change is audited and announced, so a waiting agent re-reads its new expiry.
import "server-only";
import { z } from "zod";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { pool } from "@/lib/db/pool";
import type { CheckpointStatus } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { SOD_REFUSAL, stakeSql } from "@/lib/approvals/separation-of-duties";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export const MAX_EXTENSIONS = 1;

export const extendCheckpointSchema = z.object({
  checkpointId: z.uuid("Unknown checkpoint."),
  seconds: z.coerce.number({ error: "Enter a number of seconds." }).int("Use whole seconds.").min(60, "Extend by at least 60 seconds."),
  reason: z.string().trim().max(500, "Use at most 500 characters.").optional().transform((reason) => reason || undefined),
});

export type ExtendCheckpointInput = z.input<typeof extendCheckpointSchema>;

interface Locked {
  agent_id: string;
  decision_id: string;
  status: CheckpointStatus;
  expires_at: Date;
  extended_at: Date | null;
  max_extend_seconds: number | null;
}

export async function extendCheckpoint(person: Caller, actor: Actor, input: ExtendCheckpointInput, now: Date = new Date()): Promise<{ checkpointId: string; expiresAt: Date }> {
  assertCan(person, "approvals.decide");
  const parsed = extendCheckpointSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The extension is not valid.", fieldsFromZod(parsed.error.issues));
  const { checkpointId, seconds, reason } = parsed.data;

  // As for a vote: an overdue checkpoint is recorded as expired (a deny) and can no longer be extended.
  await expireCheckpoints(pool(), { ids: [checkpointId], now, via: "extend", requestId: actor.requestId });

  return db().$transaction(async (tx) => {
    const [checkpoint] = await tx.$queryRaw<Locked[]>`
      SELECT c.agent_id::text AS agent_id, c.decision_id::text AS decision_id, c.status::text AS status, c.expires_at, c.extended_at,
        gp.max_extend_seconds
      FROM checkpoint c LEFT JOIN global_policy gp ON gp.id = c.policy_id
      WHERE c.id = ${checkpointId}::uuid FOR UPDATE OF c`;
    if (!checkpoint) throw new AppError("not_found", "No such checkpoint.");

    const [stake] = await tx.$queryRaw<Array<{ stake: boolean }>>`SELECT ${stakeSql(person.id)} AS stake FROM checkpoint c WHERE c.id = ${checkpointId}::uuid`;
    if (stake?.stake) throw new AppError("forbidden", SOD_REFUSAL);
    if (checkpoint.status !== "pending" || checkpoint.expires_at.getTime() <= now.getTime()) {
      throw new AppError("conflict", `This checkpoint is no longer waiting (${checkpoint.status === "pending" ? "expired" : checkpoint.status}); it cannot be extended.`);
    }
    const limit = checkpoint.max_extend_seconds ?? 0;
    if (limit <= 0) throw new AppError("unprocessable", "The policy that asked for this approval does not allow extensions.");
    if (checkpoint.extended_at) throw new AppError("conflict", `This checkpoint was already extended; at most ${MAX_EXTENSIONS} extension is allowed.`);
    if (seconds > limit) {
      throw new AppError("validation_failed", "The extension is too long.", [{ path: "seconds", message: `The policy allows at most ${limit} seconds.` }]);
    }

    const expiresAt = new Date(checkpoint.expires_at.getTime() + seconds * 1000);
    await tx.checkpoint.update({
      where: { id: checkpointId },
      data: { expiresAt, extendedAt: now, extendedById: person.id, extensionSeconds: seconds, changedAt: now },
    });
    await recordAudit(tx, actor, {
      type: "checkpoint.extended",
      agentId: checkpoint.agent_id,
      subjectType: "checkpoint",
      subjectId: checkpointId,
      data: {
        before: { expiresAt: checkpoint.expires_at.toISOString() },
        after: { expiresAt: expiresAt.toISOString() },
        seconds,
        limitSeconds: limit,
        decisionId: checkpoint.decision_id,
        ...(reason ? { reason } : {}),
      },
    });
    await notifyChange(tx, { kind: "checkpoint", id: checkpointId, agentId: checkpoint.agent_id });
    return { checkpointId, expiresAt };
  });
}
