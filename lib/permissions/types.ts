// The decision engine's input and output. The engine is a pure function of these (no database,
// no clock), so the console's "try an action", the agent API and the tests all ask it the same way.
import type { ActionCategory, AgentStatus, Maturity, PermissionEffect } from "@/lib/generated/prisma/enums";
import type { Conditions } from "@/lib/permissions/conditions";
import type { ReasonCode } from "@/lib/permissions/reasons";

export type Effect = "allow" | "deny" | "require_approval";
export type RuleKind = "permission" | "policy" | "maturity" | "kill" | "delegation";

/** One line of an agent's written list for the requested action. */
export interface EngineLine {
  id: string;
  position: number;
  effect: PermissionEffect;
  /** Parsed with conditionsSchema; null = no conditions. */
  conditions: Conditions | null;
  /** The stored conditions did not parse: the line fails closed (deny). */
  malformed?: boolean;
  onConditionFail: PermissionEffect;
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
}

/** Allowed decisions a line has let through recently (the caller counts them). */
export interface LineUsage {
  lastMinute: number;
  lastHour: number;
}

export interface EngineAgent {
  id: string;
  slug: string;
  status: AgentStatus;
  maturity: Maturity;
}

/** Everything about one agent that steps 2 and 4–6 read. */
export interface AgentContext {
  agent: EngineAgent;
  /** Only this agent's lines for the requested action, in any order (the engine sorts by position). */
  lines: readonly EngineLine[];
  /** By line id; a line missing here has no recent use. */
  usage?: Readonly<Record<string, LineUsage>>;
}

export interface CatalogAction {
  key: string;
  category: ActionCategory;
}

/** A capability kill that has not been restored; agentId null = every agent. */
export interface EngineKill {
  id: string;
  agentId: string | null;
  /** An action key or a category. */
  capability: string;
}

export interface EnginePolicy {
  id: string;
  name: string;
  category: ActionCategory | null;
  actionKey: string | null;
  /** null = no threshold; "malformed" = stored threshold did not parse (the policy then always applies). */
  threshold: { param: string; above: number } | "malformed" | null;
  requiredApprovals: number;
  expirySeconds: number;
  enabled: boolean;
}

/** One hop of a delegation chain: `from` let the next agent act for it. */
export interface DelegationHop {
  delegation: {
    id: string;
    fromAgentId: string;
    toAgentId: string;
    actions: readonly string[];
    expiresAt: Date;
    revokedAt: Date | null;
  };
  from: AgentContext;
}

export interface EngineRequest {
  action: string;
  resource?: string | null;
  params?: Readonly<Record<string, unknown>> | null;
}

export interface EngineInput {
  now: Date;
  request: EngineRequest;
  /** The catalog entry of request.action; null when the catalog does not know it. */
  action: CatalogAction | null;
  fleet: { stopped: boolean };
  /** Unrestored capability kills; the engine picks those for the agents it evaluates. */
  kills: readonly EngineKill[];
  /** The agent asking (the last delegate when it acts under a delegation). */
  agent: AgentContext;
  /** Root first: hops[0].from delegated to hops[1].from … the last hop delegated to `agent`. */
  delegation?: { hops: readonly DelegationHop[] };
  policies: readonly EnginePolicy[];
  /** Longest delegation chain accepted; default DEFAULT_MAX_DELEGATION_DEPTH. */
  maxDelegationDepth?: number;
}

export interface Decision {
  effect: Effect;
  reason: ReasonCode;
  /** The line, policy, capability kill or delegation that decided (none for maturity or agent state). */
  ruleId?: string;
  ruleKind?: RuleKind;
  /** The written-list line the request fell under, if any (for checkpoints and rate counting). */
  permissionId?: string;
  /** The matching policy demanding the most approvals, when the effect is require_approval. */
  policyId?: string;
  /** 0 unless the effect is require_approval; then ≥ 1. */
  requiredApprovals: number;
  expirySeconds: number;
  notifyOwners: boolean;
  /** The agent asked for an action its list does not name (DESIGN.md §5 step 4). */
  scopeCreep: boolean;
  /** One human sentence naming the deciding rule. */
  explanation: string;
}
