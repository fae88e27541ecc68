// Finds the delegation a token names and walks its parents up to the root, judging the chain
// itself: the token is addressed to the caller, each link leads from agent to agent, no link is
// revoked or expired, and the chain is not deeper than allowed. Shared by the decision path
// (resolve-delegation-chain.ts) and by sub-delegation (create-delegation.ts).
import "server-only";
import { db, type Db, type Tx } from "@/lib/db/client";
import { hashDelegationToken, isDelegationToken } from "@/lib/delegations/delegation-token";
import { DEFAULT_MAX_DELEGATION_DEPTH } from "@/lib/permissions/delegation";
import type { DelegationHop } from "@/lib/permissions/types";

export type DelegationRow = DelegationHop["delegation"] & { depth: number; parentDelegationId: string | null };

/** The engine's reason codes for a chain that cannot be used (lib/permissions/reasons.ts). */
export type ChainDenial = "delegation_broken" | "delegation_revoked" | "delegation_expired" | "delegation_depth";

export type LoadedChain =
  | { delegations: DelegationRow[] }
  | { deny: ChainDenial; why: string; delegationId?: string };

const SELECT = { id: true, fromAgentId: true, toAgentId: true, parentDelegationId: true, actions: true, depth: true, expiresAt: true, revokedAt: true } as const;

/**
 * Root first; the last delegation is the one the token names, addressed to `callingAgentId`.
 * An unknown token and someone else's token get the same answer, so a caller learns nothing
 * about tokens that are not theirs.
 */
export async function loadDelegationChain(
  token: string,
  callingAgentId: string,
  now: Date,
  options: { client?: Db | Tx; maxDepth?: number } = {},
): Promise<LoadedChain> {
  const client = options.client ?? db();
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DELEGATION_DEPTH;
  const notYours = { deny: "delegation_broken" as const, why: "the delegation token is unknown or not addressed to this agent" };
  if (!isDelegationToken(token)) return notYours;

  const leaf = await client.delegation.findUnique({ where: { tokenHash: hashDelegationToken(token) }, select: SELECT });
  if (!leaf || leaf.toAgentId !== callingAgentId) return notYours;

  const leafFirst: DelegationRow[] = [leaf];
  const seen = new Set([leaf.id]);
  for (let parentId = leaf.parentDelegationId; parentId !== null; ) {
    // One more than allowed is enough to know the chain is too deep; a cycle cannot loop us.
    if (leafFirst.length > maxDepth || seen.has(parentId)) break;
    const parent = await client.delegation.findUnique({ where: { id: parentId }, select: SELECT });
    if (!parent) return { deny: "delegation_broken", why: "a delegation up the chain no longer exists", delegationId: leafFirst.at(-1)!.id };
    seen.add(parent.id);
    leafFirst.push(parent);
    parentId = parent.parentDelegationId;
  }
  const top = leafFirst.at(-1)!;
  if (leafFirst.length > maxDepth || top.parentDelegationId !== null) {
    return { deny: "delegation_depth", why: `the delegation chain is longer than ${maxDepth} hops`, delegationId: leaf.id };
  }

  const delegations = leafFirst.reverse();
  for (const [index, delegation] of delegations.entries()) {
    const next = delegations[index + 1];
    const to = next ? next.fromAgentId : callingAgentId;
    if (delegation.toAgentId !== to) {
      return { deny: "delegation_broken", why: "the delegation chain does not lead from agent to agent", delegationId: delegation.id };
    }
  }
  // Judged root first, so the answer names the delegation nearest the root that ended.
  for (const delegation of delegations) {
    if (delegation.revokedAt !== null) return { deny: "delegation_revoked", why: "a delegation in the chain was revoked", delegationId: delegation.id };
    if (delegation.expiresAt.getTime() <= now.getTime()) {
      return { deny: "delegation_expired", why: `a delegation in the chain expired at ${delegation.expiresAt.toISOString()}`, delegationId: delegation.id };
    }
  }
  return { delegations };
}
