// The agent API's shapes (DESIGN.md section 6) and the SDK's options. Answers may carry fields
// this version does not know; they are kept, not rejected.

export type Effect = "allow" | "deny" | "pending";
export type AgentState = "active" | "suspended" | "killed" | "retired";
export type KillMode = "graceful" | "forced";
export type CheckpointState = "pending" | "approved" | "denied" | "expired";
export type OutcomeStatus = "succeeded" | "failed" | "skipped";

/** Why the agent wants to act: the audit trail of reasoning. `instruction` is required. */
export interface Reasoning {
  /** The instruction the agent is following, e.g. the user's request or the task it was given. */
  instruction: string;
  /** The options it weighed. */
  considered?: readonly string[];
  /** What it chose. */
  chosen?: string;
  /** Why. */
  rationale?: string;
}

/** GET /agent. */
export interface AgentIdentity {
  id: string;
  slug: string;
  name: string;
  status: string;
  maturity: string;
  [field: string]: unknown;
}

export interface DrillNotice {
  id: string;
  [field: string]: unknown;
}

/** GET /agent/status: the kill-switch state. */
export interface AgentStatus {
  state: AgentState;
  mode?: KillMode;
  reason?: string;
  since?: string;
  version?: string | number;
  drill?: DrillNotice | null;
  [field: string]: unknown;
}

/** POST /decisions answer. */
export interface DecisionResponse {
  decisionId: string;
  effect: Effect;
  reason: string;
  checkpointId?: string;
  expiresAt?: string;
  [field: string]: unknown;
}

/** GET /checkpoints/:id answer. */
export interface CheckpointResponse {
  status: CheckpointState;
  decidedBy?: unknown;
  note?: string;
  decidedAt?: string;
  /** When a pending checkpoint turns into `expired`; later than at first after a person extends it. */
  expiresAt?: string;
  [field: string]: unknown;
}

/** What authorize() returns: the action may go ahead. */
export interface Decision {
  decisionId: string;
  effect: "allow";
  /** The engine's reason code for the original answer (e.g. "allowed_by_list", "policy_checkpoint"). */
  reason: string;
  /** Set when the action waited on a checkpoint that a person approved. */
  checkpointId?: string;
  decidedBy?: unknown;
  note?: string;
  decidedAt?: string;
}

export interface AuthorizeOptions {
  reasoning: Reasoning;
  /** What the action touches, e.g. "tickets/4711"; permission lines may match it with a pattern. */
  resource?: string;
  params?: Record<string, unknown>;
  /** The user the agent acts for, if any. */
  onBehalfOf?: string;
  traceId?: string;
  parentDecisionId?: string;
  /** The token of a delegation another agent gave this one. */
  delegationToken?: string;
  /** Aborts the request and any wait for approval (throws the signal's reason). */
  signal?: AbortSignal;
  /**
   * The longest to wait for a person on a checkpoint. Default: until the checkpoint's own expiry
   * (plus a minute for the server to say so), or 15 minutes when the answer carries none.
   */
  approvalTimeoutMs?: number;
}

export interface OutcomeReport {
  status: OutcomeStatus;
  summary?: string;
  data?: Record<string, unknown>;
}

export interface DelegateOptions {
  /** The slug (or id) of the agent that may act for this one. */
  toAgent: string;
  /** A narrowed set of this agent's own actions. */
  actions: readonly string[];
  ttlSeconds: number;
  reasoning: Reasoning;
  /**
   * When this agent itself acts under a delegation: that delegation's token. The new delegation is
   * then a subset of it, one level deeper (Mandate allows 4 by default), and never outlives it.
   */
  parentToken?: string;
}

export interface Delegation {
  delegationId: string;
  /** Give this to the other agent; it passes it as `delegationToken`. */
  token: string;
  expiresAt: string;
  /** 1 for a direct delegation, one more per parent. */
  depth?: number;
  toAgentId?: string;
  actions?: string[];
  [field: string]: unknown;
}

export interface RetryOptions {
  /** Tries in all, the first included. Default 4. */
  attempts: number;
  /** Default 200 ms. */
  baseDelayMs: number;
  /** Default 5,000 ms. */
  maxDelayMs: number;
}

/** Everything the SDK does that an operator may want to log or count. */
export type MandateEvent =
  | { type: "retry"; method: string; path: string; attempt: number; delayMs: number; error: Error }
  | { type: "checkpoint.waiting"; decisionId: string; checkpointId: string; expiresAt?: string }
  | { type: "outcome.failed"; decisionId: string; error: Error }
  | { type: "watch.mode"; mode: WatchMode }
  | { type: "watch.status"; status: AgentStatus }
  | { type: "watch.error"; error: Error }
  | { type: "watch.stopped"; reason: unknown }
  | { type: "drill.acknowledged"; drillId: string; latencyMs: number; outcome?: "passed" | "failed" }
  | { type: "drill.failed"; drillId: string; error: Error };

export interface MandateOptions {
  /** Where Mandate runs, e.g. "https://mandate.example.com" (the SDK adds /api/v1). */
  url: string;
  /** The agent's API key ("mnd_…"). */
  key: string;
  /** A fetch implementation; defaults to the global one (Node ≥ 20). */
  fetch?: typeof fetch;
  /** Per request, before a retry. Long-polls get their wait on top. Default 10,000 ms. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Called synchronously; an exception thrown here is ignored. */
  onEvent?: (event: MandateEvent) => void;
}

export type WatchMode = "sse" | "long-poll" | "poll";

export interface WatchOptions {
  /** The dead-man lease: with no contact for longer than this, abort (fail closed). Default 30,000 ms. */
  leaseMs?: number;
  /** Start with this transport; "sse" (the default) falls back to long-poll, long-poll to poll. */
  mode?: WatchMode;
  /** Between plain polls. Default 750 ms, so a kill is seen within about a second. */
  pollIntervalMs?: number;
  /**
   * After `signal` aborts, keep listening — only to acknowledge kill drills — until `stop()`. Default
   * true: a draft agent reports `suspended` and must answer the drill activation requires. The agent
   * stays stopped either way, and a refused key (401/403) ends the watching. false: stop at the abort.
   */
  keepWatching?: boolean;
}
