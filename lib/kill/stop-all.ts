// The emergency stop-all (admin) and its undo. Stopping takes the fleet's decision lock first, so
// no decision that starts after the answer is allowed on any instance, bumps the fleet version
// every instance's kill guard checks, and cancels every waiting checkpoint.
//
// Forced versus graceful is told to every agent (the status poll carries the mode: forced aborts
// work at once, graceful lets it finish and report). Keys are NOT revoked fleet-wide even when
// forced: every decision is denied while the fleet is stopped anyway, and revoking every key
// would turn a resume into re-keying the whole fleet. Kill an agent forced to revoke its keys.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { lockDecisionState, STOP_TRANSACTION } from "@/lib/decisions/lock-decision-state";
import type { KillMode } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { auditRefusal } from "@/lib/kill/audit-refusal";
import { stopVerdict } from "@/lib/kill/kill-rules";
import { resumeAllSchema, stopAllSchema } from "@/lib/kill/kill-schemas";
import { cancelPendingCheckpoints } from "@/lib/kill/release-agent";

export interface FleetChanged {
  /** False when the fleet was already stopped at least this hard: nothing was written. */
  changed: boolean;
  stopped: boolean;
  mode: KillMode | null;
  version: number;
  cancelledCheckpoints?: number;
}

export async function stopAll(person: Caller, actor: Actor, input: unknown): Promise<FleetChanged> {
  const parsed = stopAllSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The stop is not valid.", fieldsFromZod(parsed.error.issues));
  const { mode, reason } = parsed.data;

  return auditRefusal(actor, { type: "fleet.stop.refused", data: { mode, reason: reason ?? null } }, async () => {
    assertCan(person, "fleet.stop_all");
    return db().$transaction(async (tx) => {
      await lockDecisionState(tx, { fleet: true });
      const fleet = await tx.fleetState.findUniqueOrThrow({ where: { id: 1 } });
      const verdict = stopVerdict(fleet, mode);
      if (verdict.kind === "unchanged") return { changed: false, stopped: true, mode: fleet.mode, version: fleet.version };
      const upgrade = verdict.kind === "upgrade";

      const now = new Date();
      const updated = await tx.fleetState.update({
        where: { id: 1 },
        data: { stopped: true, mode, reason: reason ?? (upgrade ? undefined : null), changedAt: now, version: { increment: 1 } },
      });
      await notifyChange(tx, { kind: "fleet" });
      const cancelledCheckpoints = await cancelPendingCheckpoints(tx, {}, `Cancelled: every agent was stopped (${mode}).`, now);
      await tx.stateChange.create({
        data: { kind: "stop_all", scope: "global", mode, reason: reason ?? (upgrade ? "Graceful stop made forced." : ""), actorPersonId: person.id, createdAt: now },
      });
      await recordAudit(tx, actor, {
        type: "fleet.stopped",
        subjectType: "fleet",
        subjectId: "1",
        data: {
          before: { stopped: fleet.stopped, mode: fleet.mode, version: fleet.version },
          after: { stopped: true, mode, version: updated.version },
          reason: reason ?? null,
          cancelledCheckpoints,
        },
      });
      return { changed: true, stopped: true, mode, version: updated.version, cancelledCheckpoints };
    }, STOP_TRANSACTION);
  });
}

export async function resumeAll(person: Caller, actor: Actor, input: unknown): Promise<FleetChanged> {
  const parsed = resumeAllSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The resume is not valid.", fieldsFromZod(parsed.error.issues));
  const { reason } = parsed.data;

  return auditRefusal(actor, { type: "fleet.resume.refused", data: { reason } }, async () => {
    assertCan(person, "fleet.stop_all");
    return db().$transaction(async (tx) => {
      // Same lock as a stop: a resume and a stop made at once apply one after the other.
      await lockDecisionState(tx, { fleet: true });
      const fleet = await tx.fleetState.findUniqueOrThrow({ where: { id: 1 } });
      if (!fleet.stopped) throw new AppError("conflict", "The fleet is not stopped: there is nothing to resume.");
      const now = new Date();
      const updated = await tx.fleetState.update({ where: { id: 1 }, data: { stopped: false, mode: null, reason, changedAt: now, version: { increment: 1 } } });
      await notifyChange(tx, { kind: "fleet" });
      await tx.stateChange.create({ data: { kind: "resume_all", scope: "global", reason, actorPersonId: person.id, createdAt: now } });
      await recordAudit(tx, actor, {
        type: "fleet.resumed",
        subjectType: "fleet",
        subjectId: "1",
        data: { before: { stopped: true, mode: fleet.mode, version: fleet.version }, after: { stopped: false, mode: null, version: updated.version }, reason },
      });
      return { changed: true, stopped: false, mode: null, version: updated.version };
    }, STOP_TRANSACTION);
  });
}
