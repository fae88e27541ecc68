// The seam between POST /decisions and delegations (lib/delegations): a resolver turns the
// `delegationToken` a request carries into the engine's chain of hops for the requested action,
// or a reason to deny. A data plane without a resolver refuses every token (`delegation_invalid`):
// a request that claims to act for another agent is never judged as if it did not.
import type { DelegationHop } from "@/lib/permissions/types";

/** One link of the chain as the decision records it: root agent first, the asking agent last. */
export interface ChainLink {
  agentId: string;
  agentSlug: string;
  /** The delegation this agent received (null for the root). */
  delegationId: string | null;
}

export type ResolvedDelegation =
  | {
      ok: true;
      /** Root first, as EngineInput.delegation.hops wants them (each `from` with its lines and usage). */
      hops: readonly DelegationHop[];
      /** The delegation handed to the asking agent (the last hop). */
      delegationId: string;
      chain: readonly ChainLink[];
      /** The state versions the chain was judged on; the writer re-checks them under lock. */
      delegators: ReadonlyArray<{ agentId: string; stateVersion: number }>;
    }
  | { ok: false; reason: string };

/**
 * Resolves `token` for the agent presenting it, at `now`, with each delegator's lines for `action`
 * (and their usage). Must not throw for a bad token: answer { ok: false }.
 */
export type DelegationResolver = (token: string, agentId: string, now: Date, action: string) => Promise<ResolvedDelegation>;

export const refuseDelegations: DelegationResolver = async () => ({ ok: false, reason: "delegation_invalid" });
