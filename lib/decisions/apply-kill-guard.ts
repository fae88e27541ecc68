// The kill guard's rule, as a pure function: given the agent and fleet state read under lock in
// the writer's transaction, an allow or pending that was evaluated on different versions (or for an
// agent that is no longer active, or while the fleet is stopped) becomes deny `state_changed`.
// Denials pass unchanged: the guard only ever makes an answer stricter.
import { STATE_CHANGED, type DecisionEntry, type WrittenDecision } from "@/lib/decisions/decision-entry";

export interface LockedState {
  fleet: { stopped: boolean; version: number } | null;
  agents: ReadonlyMap<string, { status: string; stateVersion: number }>;
}

export type GuardedDecision = Omit<WrittenDecision, "checkpointId"> & { keepCheckpoint: boolean };

export function applyKillGuard(entry: DecisionEntry, state: LockedState): GuardedDecision {
  const { decision } = entry;
  if (decision.effect === "deny") {
    return { effect: "deny", reason: decision.reason, ruleId: decision.ruleId ?? null, rewritten: false, keepCheckpoint: false };
  }
  if (stillValid(entry, state)) {
    return {
      effect: decision.effect,
      reason: decision.reason,
      ruleId: decision.ruleId ?? null,
      rewritten: false,
      keepCheckpoint: decision.effect === "pending",
    };
  }
  return { effect: "deny", reason: STATE_CHANGED, ruleId: null, rewritten: true, keepCheckpoint: false };
}

function stillValid({ decision, snapshot }: DecisionEntry, { fleet, agents }: LockedState): boolean {
  // A missing fleet row reads as stopped: fail closed.
  if (!fleet || fleet.stopped || fleet.version !== snapshot.fleetVersion) return false;
  const chain = [{ agentId: decision.agentId, stateVersion: snapshot.agentStateVersion }, ...(snapshot.delegators ?? [])];
  return chain.every(({ agentId, stateVersion }) => {
    const agent = agents.get(agentId.toLowerCase());
    return agent !== undefined && agent.status === "active" && agent.stateVersion === stateVersion;
  });
}

/** Every agent whose state the batch depends on, sorted so concurrent lockers take rows in one order. */
export function agentsToLock(entries: readonly DecisionEntry[]): string[] {
  const ids = new Set<string>();
  for (const { decision, snapshot } of entries) {
    if (decision.effect === "deny") continue;
    ids.add(decision.agentId);
    for (const delegator of snapshot.delegators ?? []) ids.add(delegator.agentId);
  }
  return [...ids].sort();
}
