// An agent's state history and kill drills, newest first, for the kill switch & drills tab.
// Fleet-wide stops and resumes, and capabilities switched off for every agent, are part of every
// agent's history, so they are listed too.
import "server-only";
import { db } from "@/lib/db/client";

const HISTORY_LIMIT = 200;
const person = { select: { name: true, email: true } } as const;

export async function getAgentHistory(agentId: string) {
  const [changes, drills] = await Promise.all([
    db().stateChange.findMany({
      where: { OR: [{ agentId }, { scope: "global" }, { scope: "capability", agentId: null }] },
      orderBy: { createdAt: "desc" },
      take: HISTORY_LIMIT,
      select: { id: true, kind: true, scope: true, agentId: true, mode: true, capability: true, fromStatus: true, toStatus: true, reason: true, createdAt: true, actor: person },
    }),
    db().killDrill.findMany({
      where: { agentId },
      orderBy: { startedAt: "desc" },
      take: HISTORY_LIMIT,
      select: { id: true, status: true, thresholdMs: true, startedAt: true, acknowledgedAt: true, latencyMs: true, startedBy: person },
    }),
  ]);
  return { changes, drills };
}

export type AgentHistory = Awaited<ReturnType<typeof getAgentHistory>>;
