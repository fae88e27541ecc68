// "Effective decision per action": for every catalog action, what the engine would answer for
// this agent right now if it asked with no resource and no parameters. One snapshot, one
// evaluation per action; it writes nothing.
import "server-only";
import { db } from "@/lib/db/client";
import { evaluate } from "@/lib/permissions/evaluate";
import { engineInputFor, loadEngineSnapshot } from "@/lib/permissions/load-engine-input";
import type { Decision } from "@/lib/permissions/types";

export interface EffectiveDecision {
  action: string;
  decision: Decision;
}

/** null when the agent does not exist. Callers check the person may view the agent. */
export async function effectiveDecisions(agentId: string, now = new Date()): Promise<EffectiveDecision[] | null> {
  const snapshot = await db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      return loadEngineSnapshot(tx, agentId, now);
    },
    { isolationLevel: "RepeatableRead" },
  );
  if (!snapshot) return null;
  return [...snapshot.actions.keys()].sort().map((action) => ({ action, decision: evaluate(engineInputFor(snapshot, { action })) }));
}
