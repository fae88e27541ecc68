// Every reason code the decision engine answers with, and what it means to a person. Agents get
// the code; the console shows the text. Codes are stable: agent developers branch on them.

export const REASONS = {
  // step 2: kill state
  fleet_stopped: "Every agent is stopped: an admin pressed stop-all.",
  agent_draft: "The agent is still a draft and has not been activated.",
  agent_suspended: "The agent is suspended.",
  agent_killed: "The agent's kill switch was pressed.",
  agent_retired: "The agent is retired.",
  state_changed: "The agent's or the fleet's kill state changed while this was being decided, so it fails closed.",
  capability_killed: "This capability was switched off with a kill switch.",
  unknown_action: "The action is not in the catalog.",
  // step 3: delegation
  delegation_depth: "The delegation chain is longer than allowed.",
  delegation_broken: "The delegation chain does not lead from agent to agent up to the one asking.",
  delegation_revoked: "A delegation in the chain was revoked.",
  delegation_expired: "A delegation in the chain has expired.",
  delegation_scope: "A delegation in the chain does not include this action.",
  delegator_denied: "An agent up the delegation chain may not do this itself.",
  delegator_approval: "An agent up the delegation chain would need approval for this.",
  // step 4: the written list and its conditions
  not_on_list: "The action is not on the agent's written list.",
  never: "The written list says never.",
  malformed_rule: "A line of the written list for this action could not be read, so it fails closed.",
  condition_failed: "The request is outside the conditions of the written list.",
  requires_approval: "The written list says a person approves this action.",
  // step 5: limits
  rate_limited: "The line's rate limit is used up.",
  // step 6: maturity
  maturity_cap: "An intern agent may only read.",
  maturity_approval: "A junior agent needs approval for every action that is not a read.",
  // step 7: global checkpoints
  policy_checkpoint: "A global checkpoint policy asks a person to approve this.",
  allowed_by_list: "The written list allows this.",
} as const;

export type ReasonCode = keyof typeof REASONS;

export function reasonText(code: string): string {
  return Object.hasOwn(REASONS, code) ? REASONS[code as ReasonCode] : code;
}
