// POST /decisions as a use case (DESIGN.md §5): evaluate the request in memory with the engine on
// cached context, then commit the decision, its reasoning, its audit row and any checkpoint
// through the group-commit writer BEFORE answering, and answer what was committed — the writer's
// kill and rate guards may have turned an allow into a deny. Nothing here answers allow unless
// that allow is durable; any failure on the way is a problem document, never an allow.
import "server-only";
import type pg from "pg";
import type { AgentContextCache, CachedAgent, OrgContext } from "@/lib/decisions/agent-context-cache";
import { checkpointDigest } from "@/lib/decisions/checkpoint-digest";
import type { AuditContext, CheckpointDraft, DecisionEntry } from "@/lib/decisions/decision-entry";
import { newDecisionId } from "@/lib/decisions/decision-id";
import type { ChainLink, DelegationResolver, ResolvedDelegation } from "@/lib/decisions/delegation-chain";
import type { DecisionWriter } from "@/lib/decisions/group-commit";
import { hasRateLimit, loadLineUsage } from "@/lib/decisions/line-usage";
import { AppError } from "@/lib/http/errors";
import type { DecisionAnswer, DecisionRequest } from "@/lib/http/dataplane/routes/decisions-schema";
import { evaluate } from "@/lib/permissions/evaluate";
import type { Decision, EngineInput, EngineLine } from "@/lib/permissions/types";

export interface DecideDeps {
  pool: pg.Pool;
  contexts: AgentContextCache;
  writer: DecisionWriter;
  resolveDelegation: DelegationResolver;
}

/** The authenticated caller: the agent and the key it used. */
export interface Caller {
  agentId: string;
  credentialId: string;
}

export interface DecideMeta {
  audit: AuditContext;
  /** performance.now() when the request arrived: the decision's recorded latency runs from there. */
  arrivedAt: number;
}

/** Refusals that come before delegation in DESIGN.md §5 (kill state, an unknown action): they win over a bad token. */
const BEFORE_DELEGATION = new Set(["fleet_stopped", "agent_draft", "agent_suspended", "agent_killed", "agent_retired", "unknown_action", "capability_killed"]);

const PARENT_EXISTS = { name: "mandate-decision-parent", text: "SELECT 1 FROM decision WHERE id = $1" };

export async function decide(deps: DecideDeps, caller: Caller, request: DecisionRequest, meta: DecideMeta): Promise<DecisionAnswer> {
  const now = new Date();
  const [agent, org] = await unavailableOnFailure(Promise.all([deps.contexts.agent(caller.agentId), deps.contexts.org()]));
  // The key was valid a moment ago; an agent deleted since is a caller we no longer know.
  if (!agent) throw new AppError("unauthorized", "A valid agent key is required.");
  if (request.parentDecisionId !== undefined) await assertParentExists(deps.pool, request.parentDecisionId);

  const lines = agent.lines.get(request.action) ?? [];
  const delegation =
    request.delegationToken !== undefined
      ? await unavailableOnFailure(deps.resolveDelegation(request.delegationToken, caller.agentId, now, request.action))
      : undefined;
  // Lines without a rate limit need no count: no query, no await.
  const usage = lines.some(hasRateLimit) ? await unavailableOnFailure(loadLineUsage(deps.pool, lines, now)) : undefined;

  const input: EngineInput = {
    now,
    request: { action: request.action, resource: request.resource ?? null, params: request.params ?? null },
    action: org.actions.get(request.action) ?? null,
    fleet: { stopped: org.fleet.stopped },
    kills: org.kills,
    agent: { agent: agent.engine, lines, ...(usage ? { usage } : {}) },
    ...(delegation?.ok ? { delegation: { hops: delegation.hops } } : {}),
    policies: org.policies,
  };
  const decision = judge(input, delegation);
  const entry = buildEntry({ caller, request, agent, org, decision, delegation, lines, now, meta });
  const written = await deps.writer.enqueue(entry);
  return {
    decisionId: entry.decision.id,
    effect: written.effect,
    reason: written.reason,
    ...(written.checkpointId && entry.checkpoint ? { checkpointId: written.checkpointId, expiresAt: entry.checkpoint.expiresAt.toISOString() } : {}),
  };
}

/** The engine's answer; a token that does not resolve denies, unless a step before delegation already does. */
type Judged = Pick<Decision, "effect" | "ruleId" | "permissionId" | "policyId" | "requiredApprovals" | "expirySeconds"> & {
  reason: string;
  notifyOwners?: boolean;
};

function judge(input: EngineInput, delegation: ResolvedDelegation | undefined): Judged {
  const decision = evaluate(input);
  if (!delegation || delegation.ok) return decision;
  if (decision.effect === "deny" && BEFORE_DELEGATION.has(decision.reason)) return decision;
  return { effect: "deny", reason: delegation.reason, requiredApprovals: 0, expirySeconds: 0, notifyOwners: false };
}

interface EntryParts {
  caller: Caller;
  request: DecisionRequest;
  agent: CachedAgent;
  org: OrgContext;
  decision: Judged;
  delegation: ResolvedDelegation | undefined;
  lines: readonly EngineLine[];
  now: Date;
  meta: DecideMeta;
}

function buildEntry({ caller, request, agent, org, decision, delegation, lines, now, meta }: EntryParts): DecisionEntry {
  const effect = decision.effect === "require_approval" ? "pending" : decision.effect;
  const id = newDecisionId(now.getTime());
  let line: EngineLine | undefined;
  if (effect === "allow") for (const candidate of lines) if (candidate.id === decision.permissionId) line = candidate;
  const chained = delegation?.ok ? delegation : undefined;
  const chain: ChainLink[] | null = chained ? [...chained.chain] : null;
  const checkpoint: CheckpointDraft | null =
    effect === "pending"
      ? {
          id: newDecisionId(now.getTime()),
          digest: checkpointDigest({ agentId: caller.agentId, action: request.action, resource: request.resource, params: request.params }),
          requiredApprovals: Math.max(1, decision.requiredApprovals),
          policyId: decision.policyId ?? null,
          permissionId: decision.permissionId ?? null,
          expiresAt: new Date(now.getTime() + decision.expirySeconds * 1000),
        }
      : null;
  const { reasoning } = request;
  return {
    decision: {
      id,
      agentId: caller.agentId,
      credentialId: caller.credentialId,
      action: request.action,
      resource: request.resource ?? null,
      params: request.params ?? null,
      instruction: reasoning.instruction,
      considered: reasoning.considered ?? null,
      chosen: reasoning.chosen ?? null,
      rationale: reasoning.rationale ?? null,
      onBehalfOf: request.onBehalfOf ?? null,
      traceId: request.traceId ?? null,
      parentDecisionId: request.parentDecisionId ?? null,
      delegationId: chained?.delegationId ?? null,
      delegationChain: chain,
      effect,
      reason: decision.reason,
      ruleId: decision.ruleId ?? null,
      latencyMicros: Math.min(2_147_483_647, Math.max(0, Math.round((performance.now() - meta.arrivedAt) * 1000))),
      createdAt: now,
      notifyOwners: effect === "allow" && decision.notifyOwners === true,
    },
    audit: { ...meta.audit, parentId: request.parentDecisionId ?? null },
    snapshot: { agentStateVersion: agent.stateVersion, fleetVersion: org.fleet.version, ...(chained ? { delegators: chained.delegators } : {}) },
    checkpoint,
    rateLimit: line && hasRateLimit(line) ? { lineId: line.id, perMinute: line.rateLimitPerMinute, perHour: line.rateLimitPerHour } : null,
  };
}

async function assertParentExists(pool: pg.Pool, parentDecisionId: string): Promise<void> {
  const { rowCount } = await unavailableOnFailure(pool.query({ ...PARENT_EXISTS, values: [parentDecisionId] }));
  if (!rowCount) {
    throw new AppError("unprocessable", "parentDecisionId names no decision.", [{ path: "parentDecisionId", message: "No decision has this id." }]);
  }
}

/** A database that cannot be read means no decision can be made: 503, never a guess. */
async function unavailableOnFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("unavailable", "The decision could not be made, so it is not allowed; try again shortly.");
  }
}
