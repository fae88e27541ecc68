// DESIGN.md §5 steps 2 and 4–6 for one agent: its kill state, its written list with conditions,
// the line's rate limits and its maturity cap. evaluate.ts runs this for the agent asking and for
// every agent up its delegation chain, so a child never exceeds its parent.
//
// How several lines for the same action combine:
//   - a deny line wins outright, whatever its conditions (a conditional "never" would let a
//     request that leaves out a parameter slip past it);
//   - a line whose stored conditions do not parse fails closed (deny);
//   - otherwise the first line by position whose conditions hold decides (allow or approval);
//   - when none holds, the strictest onConditionFail among them decides (deny before approval).
import { conditionsFailure } from "@/lib/permissions/match-conditions";
import type { ReasonCode } from "@/lib/permissions/reasons";
import type { AgentContext, CatalogAction, EngineAgent, EngineKill, EngineLine, EngineRequest, RuleKind } from "@/lib/permissions/types";

/** A deny, with the rule that decided it; `why` is a clause, without "Denied:". */
export interface Refusal {
  reason: ReasonCode;
  ruleKind?: RuleKind;
  ruleId?: string;
  permissionId?: string;
  scopeCreep?: boolean;
  why: string;
}

/** A rule that raises the answer to require_approval. */
export interface Raise {
  reason: ReasonCode;
  ruleKind: RuleKind;
  ruleId?: string;
  approvals: number;
  why: string;
}

export type AgentVerdict =
  | { ok: false; refusal: Refusal }
  | { ok: true; line: EngineLine; raises: Raise[]; notifyOwners: boolean };

export interface AgentCheck {
  context: AgentContext;
  request: EngineRequest;
  action: CatalogAction;
  kills: readonly EngineKill[];
  now: Date;
}

const STATUS_REASON = { draft: "agent_draft", suspended: "agent_suspended", killed: "agent_killed", retired: "agent_retired" } as const;

/** Step 2, the agent's own state: only an active agent acts. */
export function stateRefusal(agent: EngineAgent): Refusal | null {
  if (agent.status === "active") return null;
  return { reason: STATUS_REASON[agent.status], ruleKind: "kill", why: `agent ${agent.slug} is ${agent.status}` };
}

/** Step 2, capability kills: one for this agent or for every agent, by action key or category. */
export function capabilityRefusal(agent: EngineAgent, action: CatalogAction, kills: readonly EngineKill[]): Refusal | null {
  const kill = kills.find((candidate) => (candidate.agentId === null || candidate.agentId === agent.id) && (candidate.capability === action.key || candidate.capability === action.category));
  if (!kill) return null;
  const scope = kill.agentId === null ? "for every agent" : `for ${agent.slug}`;
  return { reason: "capability_killed", ruleKind: "kill", ruleId: kill.id, why: `the capability ${kill.capability} is switched off ${scope}` };
}

export function lineLabel(line: EngineLine, action: string): string {
  const effect = line.effect === "require_approval" ? "needs approval" : line.effect;
  return `line ${line.position + 1} (${effect} ${action})`;
}

function byPosition(a: EngineLine, b: EngineLine): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Step 4: which line the request falls under, or why the list refuses it. */
function listVerdict({ context, request, action, now }: AgentCheck): { refusal: Refusal } | { line: EngineLine; raise?: Raise } {
  const { agent } = context;
  const lines = [...context.lines].sort(byPosition);
  if (lines.length === 0) {
    return { refusal: { reason: "not_on_list", ruleKind: "permission", scopeCreep: true, why: `${action.key} is not on the written list of ${agent.slug}` } };
  }
  const never = lines.find((line) => line.effect === "deny");
  if (never) return { refusal: { reason: "never", ruleKind: "permission", ruleId: never.id, permissionId: never.id, why: `${lineLabel(never, action.key)} of ${agent.slug}'s written list says never` } };
  const broken = lines.find((line) => line.malformed);
  if (broken) {
    return { refusal: { reason: "malformed_rule", ruleKind: "permission", ruleId: broken.id, permissionId: broken.id, why: `${lineLabel(broken, action.key)} has conditions that cannot be read, so it fails closed` } };
  }

  const failures: Array<{ line: EngineLine; failure: string }> = [];
  for (const line of lines) {
    const failure = conditionsFailure(line.conditions, request, now);
    if (failure === null) {
      if (line.effect === "allow") return { line };
      return { line, raise: { reason: "requires_approval", ruleKind: "permission", ruleId: line.id, approvals: 1, why: `${lineLabel(line, action.key)} asks a person to approve it` } };
    }
    failures.push({ line, failure });
  }
  // Only "require_approval" softens a failed condition; anything else stored there denies.
  const strict = failures.find(({ line }) => line.onConditionFail !== "require_approval");
  if (strict) {
    return { refusal: { reason: "condition_failed", ruleKind: "permission", ruleId: strict.line.id, permissionId: strict.line.id, why: `${strict.failure}, outside ${lineLabel(strict.line, action.key)}` } };
  }
  const first = failures[0] as { line: EngineLine; failure: string };
  return {
    line: first.line,
    raise: { reason: "condition_failed", ruleKind: "permission", ruleId: first.line.id, approvals: 1, why: `${first.failure}, and ${lineLabel(first.line, action.key)} asks a person when its conditions do not hold` },
  };
}

/** Step 5: the line's rate limits, counted in decisions it allowed. */
function rateRefusal(context: AgentContext, line: EngineLine, action: string): Refusal | null {
  const usage = context.usage?.[line.id] ?? { lastMinute: 0, lastHour: 0 };
  const limits = [
    { limit: line.rateLimitPerMinute, used: usage.lastMinute, unit: "minute" },
    { limit: line.rateLimitPerHour, used: usage.lastHour, unit: "hour" },
  ];
  for (const { limit, used, unit } of limits) {
    if (limit !== null && used >= limit) {
      return { reason: "rate_limited", ruleKind: "permission", ruleId: line.id, permissionId: line.id, why: `${lineLabel(line, action)} allows ${limit} per ${unit} and ${used} were allowed in the last ${unit}` };
    }
  }
  return null;
}

/** Steps 2 and 4–6 for one agent. */
export function evaluateAgent(check: AgentCheck): AgentVerdict {
  const killed = stateRefusal(check.context.agent) ?? capabilityRefusal(check.context.agent, check.action, check.kills);
  if (killed) return { ok: false, refusal: killed };
  const listed = listVerdict(check);
  if ("refusal" in listed) return { ok: false, refusal: listed.refusal };
  const { line } = listed;
  const raises = listed.raise ? [listed.raise] : [];
  const { agent } = check.context;
  const { action } = check;

  const limited = rateRefusal(check.context, line, action.key);
  if (limited) return { ok: false, refusal: limited };

  if (action.category === "read") return { ok: true, line, raises, notifyOwners: false };
  const category = action.category.replaceAll("_", " ");
  if (agent.maturity === "intern") {
    return { ok: false, refusal: { reason: "maturity_cap", ruleKind: "maturity", permissionId: line.id, why: `${agent.slug} is an intern and may only read, and ${action.key} is in the ${category} category` } };
  }
  if (agent.maturity === "junior") {
    raises.push({ reason: "maturity_approval", ruleKind: "maturity", approvals: 1, why: `${agent.slug} is a junior and needs approval for ${category} actions` });
  }
  return { ok: true, line, raises, notifyOwners: agent.maturity === "senior" };
}
