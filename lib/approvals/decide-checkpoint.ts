// A person approves or denies a checkpoint (the approval inbox, issue 5, calls this). Rules:
//   - only approvers and admins (approvals.decide); auditors see but cannot act;
//   - separation of duties: nobody decides for an agent they deployed, own or are the technical
//     owner of;
//   - one vote per person; the checkpoint is approved when `requiredApprovals` distinct people
//     approved, and denied by the first deny;
//   - an overdue checkpoint is expired (a deny) and can no longer be approved;
//   - a click that comes after the end (someone else decided meanwhile) fails cleanly with 409.
// The checkpoint row is locked for the transaction, so concurrent votes are counted one after the
// other; the vote, the status change and the audit row commit together, and the change
// notification at commit wakes the waiting agent on whichever instance it waits.
import "server-only";
import { z } from "zod";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { pool } from "@/lib/db/pool";
import type { CheckpointStatus } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { agentRelation } from "@/lib/people/agent-rights";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export const MAX_NOTE_LENGTH = 2000;

export const decideCheckpointSchema = z.object({
  checkpointId: z.uuid("Unknown checkpoint."),
  verdict: z.enum(["approve", "deny"]),
  note: z
    .string()
    .trim()
    .max(MAX_NOTE_LENGTH, `Use at most ${MAX_NOTE_LENGTH} characters.`)
    .optional()
    .transform((note) => note || undefined),
});

export type DecideCheckpointInput = z.input<typeof decideCheckpointSchema>;

export interface CheckpointDecided {
  checkpointId: string;
  status: CheckpointStatus;
  approvals: number;
  requiredApprovals: number;
}

interface LockedCheckpoint {
  id: string;
  agent_id: string;
  decision_id: string;
  status: CheckpointStatus;
  required_approvals: number;
  expires_at: Date;
}

const ENDED: Record<Exclude<CheckpointStatus, "pending">, string> = {
  approved: "This checkpoint was already approved.",
  denied: "This checkpoint was already denied.",
  expired: "This checkpoint expired: nobody decided in time, so it is a deny.",
  cancelled: "This checkpoint was cancelled (the agent was stopped).",
};

export async function decideCheckpoint(person: Caller, actor: Actor, input: DecideCheckpointInput, now: Date = new Date()): Promise<CheckpointDecided> {
  assertCan(person, "approvals.decide");
  const parsed = decideCheckpointSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The decision is not valid.", fieldsFromZod(parsed.error.issues));
  const { checkpointId, verdict, note } = parsed.data;

  // Committed on its own: an expiry is recorded even though this click then fails.
  await expireCheckpoints(pool(), { ids: [checkpointId], now, via: "decide", requestId: actor.requestId });

  return db().$transaction(async (tx) => {
    const voter = await tx.person.findUnique({ where: { id: person.id }, select: { disabled: true } });
    if (!voter || voter.disabled) throw new AppError("forbidden", "You do not have access to this.");

    const [checkpoint] = await tx.$queryRaw<LockedCheckpoint[]>`
      SELECT id::text AS id, agent_id::text AS agent_id, decision_id::text AS decision_id, status::text AS status, required_approvals, expires_at
      FROM checkpoint WHERE id = ${checkpointId}::uuid FOR UPDATE`;
    if (!checkpoint) throw new AppError("not_found", "No such checkpoint.");

    const relation = await agentRelation(tx, person.id, checkpoint.agent_id);
    if (relation && (relation.isOwner || relation.isTechnicalOwner || relation.deployedIt)) {
      throw new AppError("forbidden", "You deployed or own this agent, so someone else must decide its checkpoints (separation of duties).");
    }
    if (checkpoint.status !== "pending") throw new AppError("conflict", ENDED[checkpoint.status]);
    // Overdue by a hair since the expiry above: refused; the next read or sweep records the expiry.
    if (checkpoint.expires_at.getTime() <= now.getTime()) throw new AppError("conflict", ENDED.expired);

    const voted = await tx.approval.findUnique({ where: { checkpointId_personId: { checkpointId, personId: person.id } }, select: { verdict: true } });
    if (voted) throw new AppError("conflict", `You already voted on this checkpoint (${voted.verdict}); each person votes once.`);

    await tx.approval.create({ data: { checkpointId, personId: person.id, verdict, note: note ?? null, createdAt: now } });
    const approvals = await tx.approval.count({ where: { checkpointId, verdict: "approve" } });
    const status: CheckpointStatus = verdict === "deny" ? "denied" : approvals >= checkpoint.required_approvals ? "approved" : "pending";
    if (status !== "pending") {
      const updated = await tx.checkpoint.updateMany({ where: { id: checkpointId, status: "pending" }, data: { status, decidedAt: now, note: note ?? null } });
      if (updated.count !== 1) throw new AppError("conflict", "This checkpoint was decided meanwhile.");
    }

    await recordAudit(tx, actor, {
      type: status === "approved" ? "checkpoint.approved" : status === "denied" ? "checkpoint.denied" : "checkpoint.voted",
      agentId: checkpoint.agent_id,
      subjectType: "checkpoint",
      subjectId: checkpointId,
      data: {
        before: { status: "pending", approvals: verdict === "approve" ? approvals - 1 : approvals },
        after: { status, approvals },
        verdict,
        note: note ?? null,
        requiredApprovals: checkpoint.required_approvals,
        decisionId: checkpoint.decision_id,
      },
    });
    await notifyChange(tx, { kind: "checkpoint", id: checkpointId, agentId: checkpoint.agent_id });
    return { checkpointId, status, approvals, requiredApprovals: checkpoint.required_approvals };
  });
}
