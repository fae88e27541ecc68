// The approval inbox: checkpoints still waiting for humans, the one that expires soonest first.
// A checkpoint past its expiry is a deny (timeout), so it is no longer in the inbox even before
// the sweeper marks it expired.
import "server-only";
import { db } from "@/lib/db/client";
import type { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";

const LIMIT = 200;

export interface PendingCheckpoint {
  id: string;
  agent: { slug: string; name: string };
  action: string;
  category: ActionCategory | null;
  risk: RiskLevel | null;
  resource: string | null;
  instruction: string;
  requiredApprovals: number;
  approvalsSoFar: number;
  policyName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export async function listPendingCheckpoints(now: Date = new Date()): Promise<PendingCheckpoint[]> {
  const rows = await db().checkpoint.findMany({
    where: { status: "pending", expiresAt: { gt: now } },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }],
    take: LIMIT,
    select: {
      id: true,
      requiredApprovals: true,
      createdAt: true,
      expiresAt: true,
      agent: { select: { slug: true, name: true } },
      policy: { select: { name: true } },
      decision: { select: { action: true, resource: true, instruction: true } },
      _count: { select: { approvals: { where: { verdict: "approve" } } } },
    },
  });
  // The decision stores the action key as asked; the catalog gives its category and risk.
  const keys = [...new Set(rows.map((row) => row.decision.action))];
  const actions = keys.length
    ? await db().action.findMany({ where: { key: { in: keys } }, select: { key: true, category: true, risk: true } })
    : [];
  const byKey = new Map(actions.map((action) => [action.key, action]));
  return rows.map((row) => ({
    id: row.id,
    agent: row.agent,
    action: row.decision.action,
    category: byKey.get(row.decision.action)?.category ?? null,
    risk: byKey.get(row.decision.action)?.risk ?? null,
    resource: row.decision.resource,
    instruction: row.decision.instruction,
    requiredApprovals: row.requiredApprovals,
    approvalsSoFar: row._count.approvals,
    policyName: row.policy?.name ?? null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  }));
}
