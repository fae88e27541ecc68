// Called inside a vote's transaction: if the voter is now in a flagged run of fast approvals
// (fast-approvals.ts), raise an approval_fatigue alert and audit it — once per run — and tell the
// caller, so the inbox shows the warning at once.
import "server-only";
import { fastRun, RUN_LENGTH, RUN_WINDOW_MS, FAST_APPROVAL_MS } from "@/lib/approvals/fast-approvals";
import { recordAudit, type Actor } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";

/** "MNDF": serializes one person's fatigue checks (two votes at once must not raise two alerts). */
const FATIGUE_LOCK = 0x4d4e4446;
const LOOKBACK_MS = 15 * 60_000;
const MAX_VOTES = 200;

export interface FatigueSignal {
  /** Fast approvals within the last minute of the run. */
  fastApprovals: number;
  windowSeconds: number;
  /** This vote raised the alert (false: the run was already flagged). */
  raised: boolean;
}

export async function recordFatigue(tx: Tx, actor: Actor, personId: string, now: Date): Promise<FatigueSignal | null> {
  const votes = await tx.approval.findMany({
    where: { personId, createdAt: { gte: new Date(now.getTime() - LOOKBACK_MS), lte: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_VOTES,
    select: { createdAt: true, verdict: true, openedAt: true },
  });
  const run = fastRun(votes.map((vote) => ({ at: vote.createdAt, verdict: vote.verdict, openedAt: vote.openedAt })));
  if (!run.flagged || !run.startedAt) return null;

  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FATIGUE_LOCK}::int4, hashtext(${personId})::int4)`;
  const already = await tx.alert.findFirst({
    where: { kind: "approval_fatigue", createdAt: { gte: run.startedAt }, data: { path: ["personId"], equals: personId } },
    select: { id: true },
  });
  const signal = { fastApprovals: run.inWindow, windowSeconds: RUN_WINDOW_MS / 1000, raised: !already };
  if (already) return signal;

  const person = await tx.person.findUnique({ where: { id: personId }, select: { name: true } });
  const data = {
    personId,
    personName: person?.name ?? null,
    runStartedAt: run.startedAt.toISOString(),
    fastApprovals: run.inWindow,
    rule: { fastUnderMs: FAST_APPROVAL_MS, atLeast: RUN_LENGTH, withinMs: RUN_WINDOW_MS },
  };
  await tx.alert.create({
    data: {
      kind: "approval_fatigue",
      severity: "warning",
      message: `${person?.name ?? "An approver"} approved ${run.inWindow} checkpoints within a minute, each less than ${FAST_APPROVAL_MS / 1000} s after opening it.`,
      data,
      createdAt: now,
    },
  });
  await recordAudit(tx, actor, { type: "approvals.fatigue_detected", subjectType: "person", subjectId: personId, data });
  return signal;
}
