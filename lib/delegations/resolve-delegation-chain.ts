// NOTE for POST /decisions (DESIGN.md §5 step 3). When a request carries `delegationToken`:
//
//   const resolved = await resolveDelegationChain(token, caller.agentId, now, request.action);
//
// It fits lib/decisions/delegation-chain.ts's ResolvedDelegation, but it needs the requested
// ACTION as a 4th argument: the engine takes each delegator's lines for that action only
// (AgentContext.lines), so DelegationResolver must become (token, agentId, now, action).
// - `{ ok: false, reason }` → deny with that engine reason code: delegation_broken (an unknown
//   token and someone else's get the same answer), delegation_revoked, delegation_expired,
//   delegation_depth; `delegationId` names the delegation at fault when there is one.
// - `{ ok: true, hops, chain, delegationId, delegators }` → EngineInput.delegation = { hops }
//   (the engine judges each delegator's own list, state, maturity and each delegation's actions),
//   decision.delegation_id = delegationId, decision.delegation_chain = chain, and the writer's
//   StateSnapshot.delegators = delegators (state versions read BEFORE the lines, so a kill in
//   between is caught by the kill guard).
// Each delegator's `usage` holds its rate-limited lines' recent allows (no query when none has a
// limit). A few small queries per decision under a delegation, none for the others.
import "server-only";
import { db, type Db, type Tx } from "@/lib/db/client";
import { pool as sharedPool } from "@/lib/db/pool";
import type { ChainLink, ResolvedDelegation } from "@/lib/decisions/delegation-chain";
import { loadLineUsage } from "@/lib/decisions/line-usage";
import { loadDelegationChain, type ChainDenial } from "@/lib/delegations/load-delegation-chain";
import { toEngineLine } from "@/lib/permissions/load-engine-input";
import type { DelegationHop, EngineLine } from "@/lib/permissions/types";
import type pg from "pg";

export type ChainResolution =
  | (Extract<ResolvedDelegation, { ok: true }> & { depth: number })
  | { ok: false; reason: ChainDenial; why: string; delegationId?: string };

export type { ChainLink };

export async function resolveDelegationChain(
  token: string,
  callingAgentId: string,
  now: Date,
  action: string,
  options: { client?: Db | Tx; pool?: Pick<pg.Pool, "query">; maxDepth?: number } = {},
): Promise<ChainResolution> {
  const client = options.client ?? db();
  const loaded = await loadDelegationChain(token, callingAgentId, now, { client, maxDepth: options.maxDepth });
  if ("deny" in loaded) return { ok: false, reason: loaded.deny, why: loaded.why, ...(loaded.delegationId ? { delegationId: loaded.delegationId } : {}) };
  const { delegations } = loaded;

  const delegatorIds = delegations.map((delegation) => delegation.fromAgentId);
  const agents = await client.agent.findMany({
    where: { id: { in: [...delegatorIds, callingAgentId] } },
    select: { id: true, slug: true, status: true, maturity: true, stateVersion: true },
  });
  const lineRows = await client.permission.findMany({
    where: { agentId: { in: delegatorIds }, action: { key: action } },
    select: { id: true, agentId: true, position: true, effect: true, conditions: true, onConditionFail: true, rateLimitPerMinute: true, rateLimitPerHour: true },
  });
  const byId = new Map(agents.map((agent) => [agent.id, agent]));
  const linesOf = new Map<string, EngineLine[]>();
  for (const row of lineRows) linesOf.set(row.agentId, [...(linesOf.get(row.agentId) ?? []), toEngineLine(row)]);
  const usage = await loadLineUsage(options.pool ?? sharedPool(), [...linesOf.values()].flat(), now);

  const hops: DelegationHop[] = [];
  for (const delegation of delegations) {
    const from = byId.get(delegation.fromAgentId);
    if (!from) return { ok: false, reason: "delegation_broken", why: "an agent up the delegation chain no longer exists", delegationId: delegation.id };
    const { id, fromAgentId, toAgentId, actions, expiresAt, revokedAt } = delegation;
    hops.push({
      delegation: { id, fromAgentId, toAgentId, actions, expiresAt, revokedAt },
      from: { agent: { id: from.id, slug: from.slug, status: from.status, maturity: from.maturity }, lines: linesOf.get(from.id) ?? [], usage },
    });
  }

  // Root first, the calling agent last; each link names the delegation it received (none for the root).
  const chain: ChainLink[] = [...delegatorIds, callingAgentId].map((agentId, index) => ({
    agentId,
    agentSlug: byId.get(agentId)?.slug ?? agentId,
    delegationId: index === 0 ? null : delegations[index - 1]!.id,
  }));
  return {
    ok: true,
    hops,
    chain,
    delegationId: delegations.at(-1)!.id,
    depth: delegations.length,
    delegators: hops.map((hop) => ({ agentId: hop.from.agent.id, stateVersion: byId.get(hop.from.agent.id)!.stateVersion })),
  };
}
