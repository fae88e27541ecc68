// The fatigue guard's warning to the approver themself: shown when their last approval completed
// a run of fast approvals, or when such a run was flagged in the last few minutes.
import { FAST_APPROVAL_MS, RUN_LENGTH } from "@/lib/approvals/fast-approvals";

export function FatigueBanner({ fastApprovals, onDismiss }: { fastApprovals?: number; onDismiss?: () => void }) {
  return (
    <div role="alert" className="mb-4 flex items-start justify-between gap-3 rounded-md border border-amber-500/60 bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">
      <p>
        <strong className="font-semibold">Slow down.</strong> You approved {fastApprovals ?? `${RUN_LENGTH} or more`} checkpoints within a minute, each less than{" "}
        {FAST_APPROVAL_MS / 1000} s after opening it. Read the parameters and the reasoning before the next one — this run is recorded in the audit and shown to
        admins.
      </p>
      {onDismiss ? (
        <button type="button" onClick={onDismiss} className="shrink-0 rounded border border-amber-600/50 px-2 py-0.5 text-xs font-medium">
          I understand
        </button>
      ) : null}
    </div>
  );
}
