// What the kill switch tab and the agent header show: the agent's kill state with who pressed it,
// the drill still waiting for the agent, and the capabilities switched off for it.
import "server-only";
import { db } from "@/lib/db/client";

const person = { select: { name: true, email: true } } as const;

export async function getKillState(agentId: string) {
  const [agent, lastKill, pendingDrill, capabilityKills] = await Promise.all([
    db().agent.findUniqueOrThrow({ where: { id: agentId }, select: { status: true, stateMode: true, stateReason: true, stateChangedAt: true } }),
    db().stateChange.findFirst({
      where: { agentId, kind: "kill" },
      orderBy: { createdAt: "desc" },
      select: { mode: true, reason: true, createdAt: true, actor: person },
    }),
    db().killDrill.findFirst({ where: { agentId, status: "pending" }, orderBy: { startedAt: "desc" }, select: { id: true, startedAt: true, thresholdMs: true } }),
    db().capabilityKill.findMany({
      where: { restoredAt: null, OR: [{ agentId }, { agentId: null }] },
      orderBy: { createdAt: "desc" },
      select: { id: true, agentId: true, capability: true, reason: true, createdAt: true, createdBy: person },
    }),
  ]);
  // Who killed it only while it is killed: an older kill belongs to the history table.
  const killedBy = agent.status === "killed" && lastKill ? lastKill : null;
  return { ...agent, killedBy, pendingDrill, capabilityKills };
}

export type KillState = Awaited<ReturnType<typeof getKillState>>;
