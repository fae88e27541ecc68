// The line under a killed agent's name, on every tab: who pressed the switch, when, how and why.
import { RelativeTime } from "@/components/ui/relative-time";
import type { KillMode } from "@/lib/generated/prisma/enums";

interface Props {
  killedBy: { mode: KillMode | null; reason: string; createdAt: Date; actor: { name: string } | null } | null;
  mode: KillMode | null;
  reason: string | null;
  since: Date;
  now: Date;
}

const MEANING: Record<KillMode, string> = {
  graceful: "Nothing new is allowed; work under way may finish and report its outcome",
  forced: "Every key is revoked; nothing the agent asks is answered",
};

export function KillNotice({ killedBy, mode, reason, since, now }: Props) {
  const how = mode ?? killedBy?.mode ?? null;
  const why = reason ?? (killedBy?.reason || null);
  return (
    <p role="note" data-testid="kill-notice" className="mt-2 rounded-md border border-red-600/40 bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-500/10 dark:text-red-200">
      <span className="font-semibold">Killed{how ? ` (${how})` : ""}</span> by {killedBy?.actor?.name ?? "the system"}, <RelativeTime date={killedBy?.createdAt ?? since} now={now} />
      {why ? <>: {why}</> : <span className="text-red-800/80 dark:text-red-300/80"> (no reason given)</span>}.
      {how ? <span className="block text-xs">{MEANING[how]}.</span> : null}
    </p>
  );
}
