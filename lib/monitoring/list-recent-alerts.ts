// The latest behaviour alerts across the fleet, for the overview.
import "server-only";
import { db } from "@/lib/db/client";

export async function listRecentAlerts(limit = 10) {
  return db().alert.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(1, Math.trunc(limit)), 100),
    select: {
      id: true,
      createdAt: true,
      kind: true,
      severity: true,
      message: true,
      autoSuspended: true,
      resolvedAt: true,
      agent: { select: { slug: true, name: true } },
    },
  });
}

export type RecentAlert = Awaited<ReturnType<typeof listRecentAlerts>>[number];
