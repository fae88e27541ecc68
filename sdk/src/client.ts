// The Mandate client an agent holds: one per agent key.
import { authorize, withoutUndefined } from "./authorize.js";
import { MandateError } from "./errors.js";
import { Transport } from "./transport.js";
import type { AgentIdentity, AgentStatus, AuthorizeOptions, Decision, DelegateOptions, Delegation, MandateOptions, OutcomeReport, WatchOptions } from "./types.js";
import { KillWatcher } from "./watcher.js";

/** Longest outcome summary guard() sends for a failure; error messages can be long. */
const MAX_FAILURE_SUMMARY = 500;

export class Mandate {
  private readonly transport: Transport;

  constructor(options: MandateOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("new Mandate({ url, key }) needs options.");
    this.transport = new Transport(options);
  }

  /** The API root this client talks to, e.g. "https://mandate.example.com/api/v1". */
  get apiUrl(): string {
    return this.transport.baseUrl;
  }

  /** GET /agent: who this key belongs to. */
  async whoami(options: { signal?: AbortSignal } = {}): Promise<AgentIdentity> {
    const answer = await this.transport.request({ method: "GET", path: "/agent", signal: options.signal });
    return answer.body as AgentIdentity;
  }

  /** GET /agent/status once (the watcher does this continuously). */
  async status(options: { signal?: AbortSignal } = {}): Promise<AgentStatus> {
    const answer = await this.transport.request({ method: "GET", path: "/agent/status", signal: options.signal });
    return answer.body as AgentStatus;
  }

  /**
   * Asks before acting. Returns only when the action may run (allowed, or approved by a person);
   * throws DeniedError when it may not, ApprovalTimeoutError when nobody decided in time, the
   * signal's reason when aborted, and UnavailableError when Mandate cannot answer — never allows.
   */
  authorize(action: string, options: AuthorizeOptions): Promise<Decision> {
    return authorize(this.transport, action, options);
  }

  /** POST /decisions/:id/outcome: what happened after an allowed action. */
  async reportOutcome(decisionId: string, outcome: OutcomeReport, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (typeof decisionId !== "string" || decisionId === "") throw new TypeError("reportOutcome: `decisionId` is required.");
    await this.transport.request({
      method: "POST",
      path: `/decisions/${encodeURIComponent(decisionId)}/outcome`,
      body: withoutUndefined({ status: outcome.status, summary: outcome.summary, data: outcome.data }),
      signal: options.signal,
    });
  }

  /** POST /delegations: lets another agent act for this one on a narrowed set of actions, for a time. */
  async delegate(delegation: DelegateOptions, options: { signal?: AbortSignal } = {}): Promise<Delegation> {
    const answer = await this.transport.request({
      method: "POST",
      path: "/delegations",
      body: withoutUndefined({
        toAgent: delegation.toAgent,
        actions: [...delegation.actions],
        ttlSeconds: delegation.ttlSeconds,
        reasoning: withoutUndefined({ ...delegation.reasoning }),
        parentToken: delegation.parentToken,
      }),
      signal: options.signal,
    });
    const body = answer.body as Partial<Delegation> | undefined;
    if (typeof body?.delegationId !== "string" || typeof body.token !== "string") {
      throw new MandateError({ status: answer.status, code: "invalid_response", detail: "Mandate answered a delegation without delegationId or token." });
    }
    return body as Delegation;
  }

  /**
   * authorize(), then run `fn`, then report the outcome (succeeded, or failed with the error's
   * message) and return or rethrow what `fn` did. A failed outcome report never masks `fn`'s
   * result: it goes to onEvent as "outcome.failed".
   */
  async guard<T>(action: string, options: AuthorizeOptions, fn: (signal: AbortSignal, decision: Decision) => T | Promise<T>): Promise<T> {
    const decision = await this.authorize(action, options);
    const signal = options.signal ?? new AbortController().signal;
    let result: T;
    try {
      result = await fn(signal, decision);
    } catch (error) {
      await this.reportQuietly(decision.decisionId, { status: "failed", summary: failureSummary(error) });
      throw error;
    }
    await this.reportQuietly(decision.decisionId, { status: "succeeded" });
    return result;
  }

  /**
   * Starts the kill watcher. Pass `watcher.signal` to the agent's work: it aborts within a second
   * of a kill, and when Mandate has been unreachable for longer than `leaseMs` (the dead-man rule).
   */
  watch(options: WatchOptions = {}): KillWatcher {
    return new KillWatcher(this.transport, options);
  }

  private async reportQuietly(decisionId: string, outcome: OutcomeReport): Promise<void> {
    try {
      await this.reportOutcome(decisionId, outcome);
    } catch (error) {
      this.transport.emit({ type: "outcome.failed", decisionId, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
}

function failureSummary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_FAILURE_SUMMARY ? `${text.slice(0, MAX_FAILURE_SUMMARY - 1)}…` : text;
}
