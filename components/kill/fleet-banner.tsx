// The overview's banner while the emergency stop-all is in effect: how, why, by whom, since when.
import { RelativeTime } from "@/components/ui/relative-time";
import type { FleetView } from "@/lib/kill/get-fleet-state";

export function FleetBanner({ fleet, now }: { fleet: FleetView; now: Date }) {
  if (!fleet.stopped) return null;
  return (
    <div role="note" data-testid="fleet-banner" className="mb-4 rounded-md border border-red-600/40 bg-red-50 px-3 py-2 text-red-900 dark:bg-red-500/10 dark:text-red-200">
      <p className="font-semibold">
        Emergency stop-all is in effect{fleet.mode ? ` (${fleet.mode})` : ""}: every agent is denied until an admin resumes the fleet.
      </p>
      <p className="text-sm">
        Stopped by {fleet.stoppedBy?.name ?? "the system"}, <RelativeTime date={fleet.changedAt} now={now} />
        {fleet.reason ? <>: {fleet.reason}</> : " (no reason given)"}.
      </p>
    </div>
  );
}
