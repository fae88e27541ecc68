// The latest denied decisions across the fleet, for the overview.
import "server-only";
import { db } from "@/lib/db/client";

export async function listRecentDenials(limit = 10) {
  return db().decision.findMany({
    where: { effect: "deny" },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(1, Math.trunc(limit)), 100),
    select: {
      id: true,
      createdAt: true,
      action: true,
      reason: true,
      instruction: true,
      agent: { select: { slug: true, name: true } },
    },
  });
}

export type RecentDenial = Awaited<ReturnType<typeof listRecentDenials>>[number];
