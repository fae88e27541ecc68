// What pressing a kill switch does, given what it finds — as plain functions, so the console can
// say the same thing the use case will do. Pressing it twice must not fail (a double click in an
// emergency) and must not write a second kill; a forced press over a graceful kill upgrades it.
import type { AgentStatus, KillMode } from "@/lib/generated/prisma/enums";

export type KillVerdict = { kind: "kill" } | { kind: "upgrade" } | { kind: "unchanged" } | { kind: "refused"; reason: string };

export function killVerdict(current: { status: AgentStatus; mode: KillMode | null }, requested: KillMode): KillVerdict {
  switch (current.status) {
    case "active":
    case "suspended":
      return { kind: "kill" };
    case "killed":
      return current.mode === "graceful" && requested === "forced" ? { kind: "upgrade" } : { kind: "unchanged" };
    case "draft":
      return { kind: "refused", reason: "a draft agent has never been live; retire it instead" };
    case "retired":
      return { kind: "refused", reason: "a retired agent holds nothing to stop" };
  }
}

/** The same rule for the fleet switch. */
export function stopVerdict(current: { stopped: boolean; mode: KillMode | null }, requested: KillMode): Exclude<KillVerdict, { kind: "refused" }> {
  if (!current.stopped) return { kind: "kill" };
  return current.mode === "graceful" && requested === "forced" ? { kind: "upgrade" } : { kind: "unchanged" };
}

/** Drills rehearse stopping a live agent; a draft must be drillable, since activation needs a passed drill. */
export const DRILLABLE: readonly AgentStatus[] = ["draft", "active", "suspended"];

/** Which kill control an agent's page offers: the kill itself, only "make it forced", or none. */
export function killControlFor(current: { status: AgentStatus; mode: KillMode | null }): "kill" | "upgrade" | null {
  const graceful = killVerdict(current, "graceful").kind;
  if (graceful === "kill") return "kill";
  return killVerdict(current, "forced").kind === "upgrade" ? "upgrade" : null;
}
