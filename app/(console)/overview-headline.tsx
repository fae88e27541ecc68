"use client";
// The overview's headline numbers, refreshed every 5 s from /api/console/overview. The server
// renders the first figures, so the page is complete without JavaScript.
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { OverviewStats } from "@/lib/monitoring/overview-stats";
import { formatAbsolute, formatCount, formatDuration } from "@/components/ui/format";
import { MATURITY_LEVELS } from "@/components/ui/maturity-pill";
import { consoleKeys } from "./query-keys";

const STATUSES = ["active", "suspended", "killed", "draft", "retired"] as const;

async function fetchOverview(): Promise<OverviewStats> {
  const response = await fetch("/api/console/overview", { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new Error(`Overview refresh failed with status ${response.status}`);
  return (await response.json()) as OverviewStats;
}

function Stat({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-line bg-surface p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-muted">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
      {children ? <dd className="mt-1 text-xs text-muted">{children}</dd> : null}
    </div>
  );
}

function Breakdown({ title, counts, keys }: { title: string; counts: Record<string, number>; keys: readonly string[] }) {
  return (
    <div className="rounded-md border border-line bg-surface p-3">
      <h3 className="text-xs font-medium uppercase tracking-wide text-muted">{title}</h3>
      <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5">
        {keys.map((key) => (
          <div key={key} className="contents">
            <dt>{key}</dt>
            <dd className="text-right tabular-nums">{formatCount(counts[key] ?? 0, "agent")}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function OverviewHeadline({ initial }: { initial: OverviewStats }) {
  const { data, isError } = useQuery({
    queryKey: consoleKeys.overview(),
    queryFn: fetchOverview,
    initialData: initial,
    refetchInterval: 5_000,
  });
  const stats = data ?? initial;
  const oldest = stats.approvals.oldestPendingSeconds;
  return (
    <section aria-labelledby="headline-heading" className="space-y-3">
      <div className="flex items-baseline justify-between gap-3">
        <h2 id="headline-heading" className="text-sm font-semibold">
          At a glance
        </h2>
        <p className="text-xs text-muted">
          <span role="status">{isError ? "Could not refresh; showing the last figures. " : ""}</span>
          Figures as of <time dateTime={stats.generatedAt}>{formatAbsolute(new Date(stats.generatedAt))}</time>
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Agents" value={formatCount(stats.agents.total, "agent")}>
          {formatCount(stats.agents.byStatus.active, "active agent")}
        </Stat>
        <Stat label="Pending approvals" value={formatCount(stats.approvals.pending, "checkpoint")}>
          {oldest === null ? "none waiting" : `oldest waiting ${formatDuration(oldest)}`}
        </Stat>
        <Stat label="Decisions, last 24 h" value={formatCount(stats.decisions24h.total, "decision")}>
          {`${stats.decisions24h.allow} allowed · ${stats.decisions24h.deny} denied · ${stats.decisions24h.pending} pending`}
        </Stat>
        <Stat label="Open alerts" value={formatCount(stats.openAlerts, "alert")} />
      </dl>
      <div className="grid gap-3 md:grid-cols-2">
        <Breakdown title="Agents by status" counts={stats.agents.byStatus} keys={STATUSES} />
        <Breakdown title="Agents by maturity" counts={stats.agents.byMaturity} keys={MATURITY_LEVELS} />
      </div>
    </section>
  );
}
