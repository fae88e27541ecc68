// The decision engine: DESIGN.md §5 steps 2–7 as one pure function. Steps run in order and the
// first deny ends it; approvals asked for along the way add up, so the strictest answer wins
// (deny > require_approval > allow). No database and no clock: the caller passes `now` and
// everything the steps read, which is what lets the agent API cache it and the tests table it.
//
// When several rules ask for approval, the one asking for the most approvals is named as the
// deciding rule (ties: the earliest step). requiredApprovals is the most any of them asks (≥ 1);
// expirySeconds is the shortest expiry of the matching global policies (default 900 s).
import { checkDelegation } from "@/lib/permissions/delegation";
import { capabilityRefusal, evaluateAgent, stateRefusal, type Raise, type Refusal } from "@/lib/permissions/evaluate-agent";
import { DEFAULT_EXPIRY_SECONDS, matchingPolicies } from "@/lib/permissions/policies";
import type { Decision, EngineInput } from "@/lib/permissions/types";

export { DEFAULT_MAX_DELEGATION_DEPTH } from "@/lib/permissions/delegation";
export { DEFAULT_EXPIRY_SECONDS } from "@/lib/permissions/policies";

function sentence(prefix: string, why: string): string {
  return `${prefix}: ${why}.`;
}

function deny(refusal: Refusal): Decision {
  return {
    effect: "deny",
    reason: refusal.reason,
    ...(refusal.ruleId !== undefined ? { ruleId: refusal.ruleId } : {}),
    ...(refusal.ruleKind !== undefined ? { ruleKind: refusal.ruleKind } : {}),
    ...(refusal.permissionId !== undefined ? { permissionId: refusal.permissionId } : {}),
    requiredApprovals: 0,
    expirySeconds: DEFAULT_EXPIRY_SECONDS,
    notifyOwners: false,
    scopeCreep: refusal.scopeCreep ?? false,
    explanation: sentence("Denied", refusal.why),
  };
}

export function evaluate(input: EngineInput): Decision {
  const { agent, request, now } = input;

  // Step 2: kill state. The fleet switch and the agent's own state come before anything else,
  // even before asking whether the action exists.
  if (input.fleet.stopped) return deny({ reason: "fleet_stopped", ruleKind: "kill", why: "every agent is stopped (stop-all is on)" });
  const state = stateRefusal(agent.agent);
  if (state) return deny(state);
  const action = input.action;
  if (!action || action.key !== request.action) return deny({ reason: "unknown_action", why: `${request.action} is not in the catalog` });
  const killed = capabilityRefusal(agent.agent, action, input.kills);
  if (killed) return deny(killed);

  // Step 3: delegation.
  const chain = checkDelegation(input, action);
  if ("refusal" in chain) return deny(chain.refusal);

  // Steps 4–6 for the agent asking.
  const own = evaluateAgent({ context: agent, request, action, kills: input.kills, now });
  if (!own.ok) return deny(own.refusal);

  // Step 7: global checkpoints only ever raise.
  const policies = matchingPolicies(input.policies, action, request);
  const policyRaises: Raise[] = policies.map((policy) => ({
    reason: "policy_checkpoint",
    ruleKind: "policy",
    ruleId: policy.id,
    approvals: Math.max(1, policy.requiredApprovals),
    why: `global policy "${policy.name}" asks for ${plural(Math.max(1, policy.requiredApprovals), "approval")}`,
  }));
  const raises = [...chain.raises, ...own.raises, ...policyRaises];
  const permissionId = own.line.id;

  if (raises.length === 0) {
    const notify = own.notifyOwners ? `, and as ${agent.agent.slug} is a senior its owners are notified` : "";
    return {
      effect: "allow",
      reason: "allowed_by_list",
      ruleId: permissionId,
      ruleKind: "permission",
      permissionId,
      requiredApprovals: 0,
      expirySeconds: DEFAULT_EXPIRY_SECONDS,
      notifyOwners: own.notifyOwners,
      scopeCreep: false,
      explanation: sentence("Allowed", `line ${own.line.position + 1} of ${agent.agent.slug}'s written list allows ${action.key}${notify}`),
    };
  }

  // Strictly greater, so the earliest of equally demanding rules stays the deciding one.
  const deciding = raises.reduce((best, raise) => (raise.approvals > best.approvals ? raise : best));
  const requiredApprovals = Math.max(1, ...raises.map((raise) => raise.approvals));
  const policy = policies[0];
  return {
    effect: "require_approval",
    reason: deciding.reason,
    ...(deciding.ruleId !== undefined ? { ruleId: deciding.ruleId } : {}),
    ruleKind: deciding.ruleKind,
    permissionId,
    ...(policy ? { policyId: policy.id } : {}),
    requiredApprovals,
    expirySeconds: policies.length > 0 ? Math.min(...policies.map((matching) => matching.expirySeconds)) : DEFAULT_EXPIRY_SECONDS,
    notifyOwners: own.notifyOwners,
    scopeCreep: false,
    explanation: sentence(requiredApprovals > 1 ? `Needs ${requiredApprovals} approvals` : "Needs approval", deciding.why),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
