// The overview's headline numbers. Plain JSON (numbers and strings only) because the console
// polls them every few seconds through /api/console/overview.
import "server-only";
import { db } from "@/lib/db/client";
import { AgentStatus, DecisionEffect, Maturity } from "@/lib/generated/prisma/enums";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OverviewStats {
  generatedAt: string;
  fleetStopped: boolean;
  agents: { total: number; byStatus: Record<AgentStatus, number>; byMaturity: Record<Maturity, number> };
  approvals: { pending: number; oldestPendingSeconds: number | null };
  decisions24h: { total: number } & Record<DecisionEffect, number>;
  openAlerts: number;
}

function zeroes<K extends string>(keys: Record<K, K>): Record<K, number> {
  return Object.fromEntries(Object.keys(keys).map((key) => [key, 0])) as Record<K, number>;
}

export async function getOverviewStats(now: Date = new Date()): Promise<OverviewStats> {
  const client = db();
  const pendingWhere = { status: "pending" as const, expiresAt: { gt: now } };
  const [byStatus, byMaturity, pending, oldest, byEffect, openAlerts, fleet] = await Promise.all([
    client.agent.groupBy({ by: ["status"], _count: { _all: true } }),
    client.agent.groupBy({ by: ["maturity"], _count: { _all: true } }),
    client.checkpoint.count({ where: pendingWhere }),
    client.checkpoint.findFirst({ where: pendingWhere, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    client.decision.groupBy({
      by: ["effect"],
      where: { createdAt: { gt: new Date(now.getTime() - DAY_MS), lte: now } },
      _count: { _all: true },
    }),
    client.alert.count({ where: { resolvedAt: null } }),
    client.fleetState.findUnique({ where: { id: 1 }, select: { stopped: true } }),
  ]);

  const statusCounts = zeroes(AgentStatus);
  for (const row of byStatus) statusCounts[row.status] = row._count._all;
  const maturityCounts = zeroes(Maturity);
  for (const row of byMaturity) maturityCounts[row.maturity] = row._count._all;
  const effectCounts = zeroes(DecisionEffect);
  for (const row of byEffect) effectCounts[row.effect] = row._count._all;

  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);
  return {
    generatedAt: now.toISOString(),
    fleetStopped: fleet?.stopped ?? false,
    agents: { total: sum(statusCounts), byStatus: statusCounts, byMaturity: maturityCounts },
    approvals: {
      pending,
      oldestPendingSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.createdAt.getTime()) / 1000)) : null,
    },
    decisions24h: { total: sum(effectCounts), ...effectCounts },
    openAlerts,
  };
}
