// DESIGN.md §5 step 3: an agent acting under a delegation may do only what every agent up the
// chain may do itself (each judged by its own list, state and maturity) and what every
// delegation in the chain names. Expiry is judged here against the decision's `now`, so callers
// pass delegations with their expiry and revocation rather than filtering them.
import { evaluateAgent, type Raise, type Refusal } from "@/lib/permissions/evaluate-agent";
import type { CatalogAction, EngineInput } from "@/lib/permissions/types";

export const DEFAULT_MAX_DELEGATION_DEPTH = 4;

/** A refusal, or the approvals the chain adds (empty when it adds none). */
export function checkDelegation(input: EngineInput, action: CatalogAction): { refusal: Refusal } | { raises: Raise[] } {
  const hops = input.delegation?.hops ?? [];
  if (hops.length === 0) return { raises: [] };
  const max = input.maxDelegationDepth ?? DEFAULT_MAX_DELEGATION_DEPTH;
  if (hops.length > max) {
    return { refusal: { reason: "delegation_depth", ruleKind: "delegation", why: `the delegation chain has ${hops.length} hops and at most ${max} are allowed` } };
  }

  const seen = new Set<string>([input.agent.agent.id]);
  for (const [index, { delegation, from }] of hops.entries()) {
    const to = hops[index + 1]?.from.agent.id ?? input.agent.agent.id;
    const linked = delegation.fromAgentId === from.agent.id && delegation.toAgentId === to && !seen.has(from.agent.id);
    seen.add(from.agent.id);
    const rule = { ruleKind: "delegation" as const, ruleId: delegation.id };
    if (!linked) return { refusal: { reason: "delegation_broken", ...rule, why: `the delegation chain does not lead from agent to agent up to ${input.agent.agent.slug}` } };
    if (delegation.revokedAt !== null) {
      return { refusal: { reason: "delegation_revoked", ...rule, why: `the delegation from ${from.agent.slug} was revoked` } };
    }
    if (delegation.expiresAt.getTime() <= input.now.getTime()) {
      return { refusal: { reason: "delegation_expired", ...rule, why: `the delegation from ${from.agent.slug} expired at ${delegation.expiresAt.toISOString()}` } };
    }
    if (!delegation.actions.includes(input.request.action)) {
      return { refusal: { reason: "delegation_scope", ...rule, why: `the delegation from ${from.agent.slug} does not include ${input.request.action}` } };
    }
  }

  const raises: Raise[] = [];
  for (const { delegation, from } of hops) {
    const rule = { ruleKind: "delegation" as const, ruleId: delegation.id };
    const check = { context: from, request: input.request, action, kills: input.kills, now: input.now };
    const verdict = evaluateAgent(check);
    if (!verdict.ok) {
      return { refusal: { reason: "delegator_denied", ...rule, why: `${from.agent.slug} delegated this but may not do it itself: ${verdict.refusal.why}` } };
    }
    if (verdict.raises.length > 0) {
      const approvals = Math.max(...verdict.raises.map((raise) => raise.approvals));
      const first = verdict.raises[0] as Raise;
      raises.push({ reason: "delegator_approval", ...rule, approvals, why: `${from.agent.slug} delegated this and would need approval for it itself: ${first.why}` });
    }
  }
  return { raises };
}
