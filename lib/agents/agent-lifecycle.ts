// The agent lifecycle as data (DESIGN.md section 4): which status may follow which, and through
// which kind of change. Killing and reviving belong to the kill switch, not to this table.
// Plain data, so the overview tab offers exactly the changes the use case will accept.
import type { AgentStatus, Maturity } from "@/lib/generated/prisma/enums";

export type LifecycleKind = "activate" | "suspend" | "retire";

export const TRANSITIONS: Readonly<Record<AgentStatus, Partial<Record<AgentStatus, LifecycleKind>>>> = {
  draft: { active: "activate", retired: "retire" },
  active: { suspended: "suspend", retired: "retire" },
  suspended: { active: "activate", retired: "retire" },
  killed: { retired: "retire" },
  retired: {},
};

/** Suspending and retiring say why; activating may. */
export const REASON_REQUIRED: Readonly<Record<LifecycleKind, boolean>> = { activate: false, suspend: true, retire: true };

export const LIFECYCLE_LABEL: Readonly<Record<LifecycleKind, string>> = { activate: "Activate", suspend: "Suspend", retire: "Retire" };

export type TransitionVerdict = { ok: true; kind: LifecycleKind } | { ok: false; reason: string };

export function checkTransition(from: AgentStatus, to: AgentStatus): TransitionVerdict {
  const kind = TRANSITIONS[from][to];
  if (kind) return { ok: true, kind };
  if (from === to) return { ok: false, reason: `The agent is already ${to}.` };
  if (from === "retired") return { ok: false, reason: "Retirement is final: a retired agent cannot change state." };
  if (to === "killed") return { ok: false, reason: "Killing an agent is done with its kill switch, not as a status change." };
  if (from === "killed") return { ok: false, reason: "A killed agent comes back only through a revive on its kill switch, with a reason." };
  return { ok: false, reason: `An agent cannot go from ${from} to ${to}.` };
}

/** The changes offered from a status, in the order the overview shows them. */
export function nextStatuses(from: AgentStatus): Array<{ to: AgentStatus; kind: LifecycleKind }> {
  return Object.entries(TRANSITIONS[from]).map(([to, kind]) => ({ to: to as AgentStatus, kind: kind as LifecycleKind }));
}

export const MATURITY_ORDER = ["intern", "junior", "senior", "principal"] as const satisfies readonly Maturity[];

/** One step up or down; null past either end. */
export function stepMaturity(from: Maturity, change: "promote" | "demote"): Maturity | null {
  const index = MATURITY_ORDER.indexOf(from) + (change === "promote" ? 1 : -1);
  return MATURITY_ORDER[index] ?? null;
}
