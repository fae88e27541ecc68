// A person approves or denies a checkpoint (the approval inbox, issue 5, calls this). Rules:
//   - only approvers and admins (approvals.decide); auditors see but cannot act;
//   - separation of duties: nobody decides for an agent they deployed, own or are the technical
//     owner of, nor for another agent acting on such an agent's behalf (separation-of-duties.ts);
//   - one vote per person; the checkpoint is approved when `requiredApprovals` distinct people
//     approved, and denied by the first deny;
//   - an overdue checkpoint is expired (a deny) and can no longer be approved;
//   - a click that comes after the end (someone else decided meanwhile) fails cleanly with 409.
// The checkpoint row is locked for the transaction, so concurrent votes are counted one after the
// other; the vote, the status change and the audit row commit together, and the change
// notification at commit wakes the waiting agent on whichever instance it waits. Each vote keeps
// when the voter opened the checkpoint (approval.opened_at); a fast approval may then raise the
// fatigue alert (record-fatigue.ts) in a transaction of its own, after the agent was told.
import "server-only";
import { z } from "zod";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { isFast } from "@/lib/approvals/fast-approvals";
import { recordFatigue, type FatigueSignal } from "@/lib/approvals/record-fatigue";
import { SOD_REFUSAL, stakeSql } from "@/lib/approvals/separation-of-duties";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { CHANGE_CHANNEL, encodeChange } from "@/lib/db/notify";
import { pool } from "@/lib/db/pool";
import type { CheckpointStatus, Verdict } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
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
  /** Present when this approval is part of a run of fast approvals (the inbox warns). */
  fatigue?: FatigueSignal;
}

interface LockedCheckpoint {
  voter_disabled: boolean | null;
  id: string | null;
  agent_id: string;
  decision_id: string;
  status: CheckpointStatus;
  required_approvals: number;
  expires_at: Date;
  created_at: Date;
  last_opened_at: Date | null;
  /** The voter deployed, owns or technically owns the agent or one it acts for (separation-of-duties.ts). */
  related: boolean;
  voted: Verdict | null;
  approvals: number;
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

  const decided = await db().$transaction(async (tx) => {
    // Lock first, read after. A statement's subqueries read the snapshot taken when it began, so
    // a vote that waited for this lock inside the read below would count the approvals as they
    // were before the vote it waited for committed: two approvals at once toward a quorum of two
    // both ended "pending", and the checkpoint stayed pending with its quorum met.
    await tx.$queryRaw`SELECT 1 FROM checkpoint WHERE id = ${checkpointId}::uuid FOR UPDATE`;
    // One round trip: the voter, the checkpoint, the voter's relation to its agent, their earlier
    // vote, the approvals so far and when they last opened it — all as committed before the lock.
    const [checkpoint] = await tx.$queryRaw<LockedCheckpoint[]>`
      WITH locked AS (
        SELECT c.id::text AS id, c.agent_id::text AS agent_id, c.decision_id::text AS decision_id, c.status::text AS status,
          c.required_approvals, c.expires_at, c.created_at, v.last_opened_at,
          ${stakeSql(person.id)} AS related,
          (SELECT a.verdict::text FROM approval a WHERE a.checkpoint_id = c.id AND a.person_id = ${person.id}::uuid) AS voted,
          (SELECT count(*)::int FROM approval a WHERE a.checkpoint_id = c.id AND a.verdict = 'approve') AS approvals
        FROM checkpoint c
        LEFT JOIN checkpoint_view v ON v.checkpoint_id = c.id AND v.person_id = ${person.id}::uuid
        WHERE c.id = ${checkpointId}::uuid
        FOR UPDATE OF c
      )
      SELECT (SELECT p.disabled FROM person p WHERE p.id = ${person.id}::uuid) AS voter_disabled, locked.*
      FROM (SELECT 1) AS one LEFT JOIN locked ON true`;
    if (!checkpoint || checkpoint.voter_disabled !== false) throw new AppError("forbidden", "You do not have access to this.");
    if (!checkpoint.id) throw new AppError("not_found", "No such checkpoint.");
    if (checkpoint.related) {
      throw new AppError("forbidden", SOD_REFUSAL);
    }
    if (checkpoint.status !== "pending") throw new AppError("conflict", ENDED[checkpoint.status]);
    // Overdue by a hair since the expiry above: refused; the next read or sweep records the expiry.
    if (checkpoint.expires_at.getTime() <= now.getTime()) throw new AppError("conflict", ENDED.expired);
    if (checkpoint.voted) throw new AppError("conflict", `You already voted on this checkpoint (${checkpoint.voted}); each person votes once.`);

    const openedAt = checkpoint.last_opened_at && checkpoint.last_opened_at.getTime() <= now.getTime() ? checkpoint.last_opened_at : checkpoint.created_at;
    await tx.approval.create({ data: { checkpointId, personId: person.id, verdict, note: note ?? null, createdAt: now, openedAt } });
    const approvals = checkpoint.approvals + (verdict === "approve" ? 1 : 0);
    const status: CheckpointStatus = verdict === "deny" ? "denied" : approvals >= checkpoint.required_approvals ? "approved" : "pending";
    // changed_at moves with every vote, so open inboxes refresh the "1 of 2" too; the change is
    // announced by the same statement (delivered at commit), so a waiting agent wakes at once.
    const ended = status !== "pending";
    const payload = encodeChange({ kind: "checkpoint", id: checkpointId, agentId: checkpoint.agent_id });
    await tx.$executeRaw`
      WITH changed AS (
        UPDATE checkpoint SET changed_at = ${now},
          status = CASE WHEN ${ended}::boolean THEN ${status}::"CheckpointStatus" ELSE status END,
          decided_at = CASE WHEN ${ended}::boolean THEN ${now}::timestamptz ELSE decided_at END,
          note = CASE WHEN ${ended}::boolean THEN ${note ?? null}::text ELSE note END
        WHERE id = ${checkpointId}::uuid
        RETURNING id
      )
      SELECT pg_notify(${CHANGE_CHANNEL}, ${payload}) FROM changed`;

    await recordAudit(tx, actor, {
      type: status === "approved" ? "checkpoint.approved" : status === "denied" ? "checkpoint.denied" : "checkpoint.voted",
      agentId: checkpoint.agent_id,
      subjectType: "checkpoint",
      subjectId: checkpointId,
      data: {
        before: { status: "pending", approvals: checkpoint.approvals },
        after: { status, approvals },
        verdict,
        note: note ?? null,
        requiredApprovals: checkpoint.required_approvals,
        decisionId: checkpoint.decision_id,
        lookedMs: now.getTime() - openedAt.getTime(),
      },
    });
    return { checkpointId, status, approvals, requiredApprovals: checkpoint.required_approvals, fast: verdict === "approve" && isFast({ at: now, verdict, openedAt }) };
  });

  // After the commit, so the waiting agent never waits for it: only a fast approval can complete a run.
  const { fast, ...result } = decided;
  // The vote stands even if this check fails; the next fast approval checks the run again.
  const fatigue = fast
    ? await db()
        .$transaction((tx) => recordFatigue(tx, actor, person.id, now))
        .catch((error: unknown) => {
          console.error("approval fatigue check failed:", error instanceof Error ? error.message : error);
          return null;
        })
    : null;
  return { ...result, ...(fatigue ? { fatigue } : {}) };
}
