// Builds engine inputs for the table-driven tests: one active principal agent ("bot") asking at a
// fixed Wednesday 10:00 UTC, with whatever lines, policies, kills and delegations a case names.
import type { ActionCategory, AgentStatus, Maturity } from "@/lib/generated/prisma/enums";
import type { Conditions } from "@/lib/permissions/conditions";
import type { AgentContext, DelegationHop, EngineInput, EngineKill, EngineLine, EnginePolicy, LineUsage } from "@/lib/permissions/types";

/** Wednesday 25 November 2026, 10:00 UTC. */
export const NOW = new Date("2026-11-25T10:00:00Z");
export const BOT_ID = "00000000-0000-4000-8000-000000000001";

export const CATALOG: Record<string, ActionCategory> = {
  "crm.contact.read": "read",
  "crm.contact.update": "write",
  "crm.record.delete": "delete",
  "email.send": "external_communication",
  "payments.refund.issue": "financial",
  "crm.enrichment.lookup": "third_party_call",
  "github.repo.admin": "admin",
};

let counter = 0;

/** A line for `action`; ids are readable ("L1", "L2", …) unless given. */
export function line(partial: Partial<Omit<EngineLine, "conditions">> & { conditions?: Conditions | null } = {}): EngineLine {
  counter += 1;
  return {
    id: partial.id ?? `L${counter}`,
    position: partial.position ?? counter,
    effect: partial.effect ?? "allow",
    conditions: partial.conditions ?? null,
    ...(partial.malformed ? { malformed: true } : {}),
    onConditionFail: partial.onConditionFail ?? "deny",
    rateLimitPerMinute: partial.rateLimitPerMinute ?? null,
    rateLimitPerHour: partial.rateLimitPerHour ?? null,
  };
}

export function policy(partial: Partial<EnginePolicy> & { id: string }): EnginePolicy {
  return {
    name: partial.id,
    category: null,
    actionKey: null,
    threshold: null,
    requiredApprovals: 1,
    expirySeconds: 900,
    enabled: true,
    ...partial,
  };
}

export interface AgentSpec {
  id?: string;
  slug?: string;
  status?: AgentStatus;
  maturity?: Maturity;
  lines?: EngineLine[];
  usage?: Record<string, LineUsage>;
}

export function agentContext(spec: AgentSpec = {}): AgentContext {
  return {
    agent: { id: spec.id ?? BOT_ID, slug: spec.slug ?? "bot", status: spec.status ?? "active", maturity: spec.maturity ?? "principal" },
    lines: spec.lines ?? [line()],
    usage: spec.usage ?? {},
  };
}

export interface Scenario extends AgentSpec {
  action?: string;
  resource?: string;
  params?: Record<string, unknown>;
  now?: Date;
  fleetStopped?: boolean;
  kills?: EngineKill[];
  policies?: EnginePolicy[];
  hops?: DelegationHop[];
  maxDelegationDepth?: number;
}

export function scenario(given: Scenario = {}): EngineInput {
  const action = given.action ?? "crm.contact.update";
  const category = CATALOG[action];
  return {
    now: given.now ?? NOW,
    request: { action, resource: given.resource, params: given.params },
    action: category ? { key: action, category } : null,
    fleet: { stopped: given.fleetStopped ?? false },
    kills: given.kills ?? [],
    agent: agentContext(given),
    ...(given.hops ? { delegation: { hops: given.hops } } : {}),
    policies: given.policies ?? [],
    ...(given.maxDelegationDepth !== undefined ? { maxDelegationDepth: given.maxDelegationDepth } : {}),
  };
}

/** A delegation hop from `from` to `toAgentId`, valid for an hour, covering `actions`. */
export function hop(from: AgentSpec & { id: string; slug: string }, toAgentId: string, partial: Partial<DelegationHop["delegation"]> = {}): DelegationHop {
  return {
    delegation: {
      id: `D-${from.slug}`,
      fromAgentId: from.id,
      toAgentId,
      actions: ["crm.contact.update", "crm.contact.read"],
      expiresAt: new Date(NOW.getTime() + 3_600_000),
      revokedAt: null,
      ...partial,
    },
    from: agentContext(from),
  };
}
