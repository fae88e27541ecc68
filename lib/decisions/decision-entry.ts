// What the decision writer takes (one evaluated decision, its audit context, the state it was
// decided on, an optional checkpoint) and the one error it fails with.
import type { DecisionEffect } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

/** The reason a decision gets when the agent or fleet changed between evaluation and commit. */
export const STATE_CHANGED = "state_changed";

export interface DecisionDraft {
  /** crypto.randomUUID(), made before the commit so the answer can carry it. */
  id: string;
  agentId: string;
  credentialId?: string | null;
  action: string;
  resource?: string | null;
  params?: unknown;
  instruction: string;
  considered?: unknown;
  chosen?: string | null;
  rationale?: string | null;
  onBehalfOf?: string | null;
  traceId?: string | null;
  parentDecisionId?: string | null;
  delegationId?: string | null;
  delegationChain?: unknown;
  effect: DecisionEffect;
  reason: string;
  ruleId?: string | null;
  latencyMicros: number;
  createdAt: Date;
  /**
   * A senior agent acted without approval, so its owners are told (DESIGN.md §5 rule 6). Kept
   * only if the committed effect is still `allow` (the kill guard may have made it a deny).
   */
  notifyOwners?: boolean;
}

/** The request the decision answered; the audit row's actor is the deciding agent. */
export interface AuditContext {
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The parent event in a trace (e.g. the parent decision's id). */
  parentId?: string | null;
}

/** The versions the decision was evaluated on; the writer re-checks them under lock. */
export interface StateSnapshot {
  agentStateVersion: number;
  fleetVersion: number;
  /** Agents up a delegation chain the decision relied on, with the state version seen of each. */
  delegators?: ReadonlyArray<{ agentId: string; stateVersion: number }>;
}

export interface CheckpointDraft {
  id: string;
  /** SHA-256 of the canonical JSON of agent + action + resource + params. */
  digest: string;
  requiredApprovals: number;
  policyId?: string | null;
  permissionId?: string | null;
  expiresAt: Date;
}

export interface DecisionEntry {
  decision: DecisionDraft;
  audit: AuditContext;
  snapshot: StateSnapshot;
  /** Only for a pending decision; dropped if the kill guard turns it into a deny. */
  checkpoint?: CheckpointDraft | null;
  /** For an allow by a rate-limited line: counted again under lock at commit (apply-rate-guard.ts). */
  rateLimit?: RateLimit | null;
}

export interface RateLimit {
  /** The permission line; allowed decisions carry it as ruleId. */
  lineId: string;
  perMinute: number | null;
  perHour: number | null;
}

/** What was committed: the answer to give. */
export interface WrittenDecision {
  effect: DecisionEffect;
  reason: string;
  ruleId: string | null;
  /** Set when a pending decision's checkpoint was committed with it. */
  checkpointId: string | null;
  /** The kill guard turned an allow or pending into this deny. */
  rewritten: boolean;
}

export type WriteFailure = "overloaded" | "unavailable" | "rejected" | "closed";

const MESSAGES: Record<WriteFailure, string> = {
  overloaded: "Too many decisions are waiting to be recorded; try again shortly.",
  unavailable: "The decision could not be recorded, so it is not allowed; try again shortly.",
  rejected: "The decision could not be recorded as given, so it is not allowed.",
  closed: "This instance is shutting down; try again.",
};

/**
 * The writer's only error. Every kind means "nothing was allowed": the API answers it as a problem
 * document (503, or 422 for an entry the database refused), never as an allow.
 */
export class DecisionWriteError extends AppError {
  readonly failure: WriteFailure;

  constructor(failure: WriteFailure, options?: { cause?: unknown }) {
    super(failure === "rejected" ? "unprocessable" : "unavailable", MESSAGES[failure]);
    this.name = "DecisionWriteError";
    this.failure = failure;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
