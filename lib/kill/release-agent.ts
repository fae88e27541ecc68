// What a stopped agent stops holding, shared by kill, suspend, retire and stop-all: its waiting
// checkpoints (nobody should approve work an agent may no longer do) and its delegations. Call
// inside the change's transaction; each announces itself at commit.
import "server-only";
import type { Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";

/** Cancels pending checkpoints of one agent, or of every agent when `agentId` is absent. */
export async function cancelPendingCheckpoints(tx: Tx, scope: { agentId?: string }, note: string, now: Date): Promise<number> {
  const { count } = await tx.checkpoint.updateMany({
    where: { status: "pending", ...(scope.agentId ? { agentId: scope.agentId } : {}) },
    data: { status: "cancelled", decidedAt: now, note },
  });
  // Without an agent, the waiters wake everyone: many checkpoints changed at once.
  if (count > 0) await notifyChange(tx, scope.agentId ? { kind: "checkpoint", agentId: scope.agentId } : { kind: "checkpoint" });
  return count;
}

/** Revokes every live delegation from or to the agent. */
export async function endDelegations(tx: Tx, agentId: string, now: Date): Promise<number> {
  const { count } = await tx.delegation.updateMany({
    where: { revokedAt: null, OR: [{ fromAgentId: agentId }, { toAgentId: agentId }] },
    data: { revokedAt: now },
  });
  if (count > 0) await notifyChange(tx, { kind: "delegation", agentId });
  return count;
}
