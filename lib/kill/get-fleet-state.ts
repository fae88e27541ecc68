// The fleet switch as the overview shows it: stopped or not, how and why, by whom, and the
// capabilities switched off for every agent.
import "server-only";
import { db } from "@/lib/db/client";

const person = { select: { name: true, email: true } } as const;

export async function getFleetState() {
  const [fleet, lastStop, capabilityKills] = await Promise.all([
    db().fleetState.findUnique({ where: { id: 1 }, select: { stopped: true, mode: true, reason: true, changedAt: true, version: true } }),
    db().stateChange.findFirst({ where: { kind: "stop_all" }, orderBy: { createdAt: "desc" }, select: { createdAt: true, actor: person } }),
    db().capabilityKill.findMany({
      where: { restoredAt: null, agentId: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, capability: true, reason: true, createdAt: true, createdBy: person },
    }),
  ]);
  // A missing row reads as stopped, as the decision writer reads it: fail closed.
  const state = fleet ?? { stopped: true, mode: null, reason: "The fleet state row is missing.", changedAt: new Date(0), version: 0 };
  return { ...state, stoppedBy: state.stopped ? (lastStop?.actor ?? null) : null, capabilityKills };
}

export type FleetView = Awaited<ReturnType<typeof getFleetState>>;
