// The five controls of DESIGN.md section 2 for one agent, each met or not, derived from what is
// in the database rather than declared, with the next thing to do for each unmet one.
import "server-only";
import { db } from "@/lib/db/client";
import type { ActionCategory, PermissionEffect } from "@/lib/generated/prisma/enums";
import { killDrillMaxAgeDays, passedDrillWithin } from "@/lib/agents/activation-checks";

export type ControlKey = "identity" | "boundaries" | "checkpoints" | "audit" | "kill_switch";

export interface ReadinessControl {
  key: ControlKey;
  title: string;
  met: boolean;
  /** What the data shows, met or not. */
  detail: string;
  /** For an unmet control: what to do, and the agent tab to do it on. */
  nextStep?: { text: string; tab: "credentials" | "permissions" | "activity" | "kill-switch" };
}

export interface ReadinessFacts {
  liveCredentials: number;
  lines: ReadonlyArray<{ effect: PermissionEffect; actionId: string; actionKey: string; category: ActionCategory }>;
  /** Enabled global checkpoint policies. */
  policies: ReadonlyArray<{ actionId: string | null; category: ActionCategory | null }>;
  decisions: number;
  decisionsWithoutReasoning: number;
  lastPassedDrillAt: Date | null;
  now: Date;
}

export function deriveReadiness(facts: ReadinessFacts): ReadinessControl[] {
  return [identity(facts), boundaries(facts), checkpoints(facts), auditTrail(facts), killSwitch(facts)];
}

function identity({ liveCredentials }: ReadinessFacts): ReadinessControl {
  const met = liveCredentials > 0;
  return {
    key: "identity",
    title: "Its own identity",
    met,
    detail: met ? `${liveCredentials} live API key${liveCredentials === 1 ? "" : "s"} of its own.` : "No live API key: it has no identity of its own to act under.",
    nextStep: met ? undefined : { text: "Create an API key for the agent.", tab: "credentials" },
  };
}

function boundaries({ lines }: ReadinessFacts): ReadinessControl {
  const met = lines.length > 0;
  const denied = lines.filter((line) => line.effect === "deny").length;
  return {
    key: "boundaries",
    title: "Permission boundaries by action",
    met,
    detail: met ? `A written list of ${lines.length} line${lines.length === 1 ? "" : "s"}${denied ? `, ${denied} of them never allowed` : ""}.` : "The written list is empty.",
    nextStep: met ? undefined : { text: "Write its list: the actions it may take, each with a justification.", tab: "permissions" },
  };
}

function checkpoints({ lines, policies }: ReadinessFacts): ReadinessControl {
  const approvalLines = lines.filter((line) => line.effect === "require_approval");
  const nonRead = lines.filter((line) => line.effect !== "deny" && line.category !== "read");
  const covered = (line: ReadinessFacts["lines"][number]) =>
    policies.some((policy) => policy.actionId === line.actionId || policy.category === line.category);
  const uncovered = nonRead.filter((line) => line.effect === "allow" && !covered(line)).map((line) => line.actionKey);
  const base = { key: "checkpoints" as const, title: "Human checkpoints for high-stakes actions" };
  if (lines.length === 0) {
    return { ...base, met: false, detail: "Nothing is listed yet, so no checkpoint is defined.", nextStep: { text: "Write the list first, marking high-stakes lines as needing approval.", tab: "permissions" } };
  }
  if (approvalLines.length > 0) {
    const caution = uncovered.length ? ` Allowed without a checkpoint: ${uncovered.join(", ")}.` : "";
    return { ...base, met: true, detail: `${approvalLines.length} line${approvalLines.length === 1 ? " needs" : "s need"} a person's approval.${caution}` };
  }
  if (nonRead.length === 0) return { ...base, met: true, detail: "Its list allows only read actions; nothing it may do needs a checkpoint." };
  if (uncovered.length === 0) return { ...base, met: true, detail: "Every non-read action it may take is covered by a global checkpoint policy." };
  return {
    ...base,
    met: false,
    detail: `No line needs approval, and no global policy covers: ${uncovered.join(", ")}.`,
    nextStep: { text: "Mark the high-stakes lines as needing approval, or add a global checkpoint policy.", tab: "permissions" },
  };
}

function auditTrail({ decisions, decisionsWithoutReasoning }: ReadinessFacts): ReadinessControl {
  const met = decisionsWithoutReasoning === 0;
  return {
    key: "audit",
    title: "An audit trail of reasoning",
    met,
    detail:
      decisions === 0
        ? "No decisions yet; each one will be recorded with its reasoning."
        : met
          ? `All ${decisions} decisions carry the instruction the agent followed.`
          : `${decisionsWithoutReasoning} of ${decisions} decisions carry no reasoning.`,
    nextStep: met ? undefined : { text: "Have the agent send its instruction and rationale with every decision request.", tab: "activity" },
  };
}

function killSwitch(facts: ReadinessFacts): ReadinessControl {
  const met = passedDrillWithin(facts);
  const last = facts.lastPassedDrillAt?.toISOString().slice(0, 10);
  return {
    key: "kill_switch",
    title: "A tested kill switch",
    met,
    detail: met
      ? `The last kill drill passed on ${last}, within ${killDrillMaxAgeDays()} days.`
      : `No kill drill has passed in the last ${killDrillMaxAgeDays()} days (last passed: ${last ?? "never"}).`,
    nextStep: met ? undefined : { text: "Have an owner run a kill drill while the agent is connected.", tab: "kill-switch" },
  };
}

export async function getAgentReadiness(agentId: string, now = new Date()): Promise<ReadinessControl[]> {
  const [liveCredentials, permissions, policies, decisions, decisionsWithoutReasoning, drill] = await Promise.all([
    db().credential.count({ where: { agentId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }),
    db().permission.findMany({ where: { agentId }, select: { effect: true, actionId: true, action: { select: { key: true, category: true } } } }),
    db().globalPolicy.findMany({ where: { enabled: true }, select: { actionId: true, category: true } }),
    db().decision.count({ where: { agentId } }),
    db().decision.count({ where: { agentId, instruction: "" } }),
    db().killDrill.findFirst({ where: { agentId, status: "passed" }, orderBy: { startedAt: "desc" }, select: { startedAt: true } }),
  ]);
  return deriveReadiness({
    liveCredentials,
    lines: permissions.map((line) => ({ effect: line.effect, actionId: line.actionId, actionKey: line.action.key, category: line.action.category })),
    policies,
    decisions,
    decisionsWithoutReasoning,
    lastPassedDrillAt: drill?.startedAt ?? null,
    now,
  });
}
