// Why a decision went to people, in the words an approver reads (the decision's reason code).
export const APPROVAL_REASONS: Record<string, string> = {
  requires_approval: "The agent's written list asks a person to approve this action.",
  condition_failed: "The request is outside the conditions of the agent's written list, and that line asks a person rather than refusing.",
  maturity_approval: "The agent is a junior: every action beyond reading needs approval.",
  policy_checkpoint: "A global checkpoint policy asks for approval.",
  delegator_approval: "An agent up the delegation chain would need approval for this itself.",
};

export function approvalReason(code: string): string {
  return APPROVAL_REASONS[code] ?? `Sent to people (${code}).`;
}
