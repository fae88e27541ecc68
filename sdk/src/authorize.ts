// Ask before acting: POST /decisions, then, when a person must decide, long-poll the checkpoint
// until they do. Only an explicit "allow" or "approved" lets the action run; everything else —
// deny, expiry, timeout, abort, an answer we do not understand, Mandate unreachable — throws.
import { ApprovalTimeoutError, DeniedError, MandateError, UnavailableError } from "./errors.js";
import { backoffMs, linkSignals, sleep } from "./timing.js";
import type { Transport } from "./transport.js";
import type { AuthorizeOptions, CheckpointResponse, Decision, DecisionResponse } from "./types.js";

/** The longest the server may hold a checkpoint long-poll (DESIGN.md: `?wait=` ≤ 30). */
const MAX_WAIT_SECONDS = 25;
const DEFAULT_APPROVAL_TIMEOUT_MS = 15 * 60_000;
/** Past the checkpoint's expiry, how long to let the server say "expired" before giving up. */
const EXPIRY_GRACE_MS = 60_000;
/** A server that answers a long-poll at once must not turn the wait into a busy loop. */
const MIN_POLL_SPACING_MS = 1_000;

export async function authorize(transport: Transport, action: string, options: AuthorizeOptions): Promise<Decision> {
  if (typeof action !== "string" || action === "") throw new TypeError("authorize: `action` is required.");
  if (typeof options?.reasoning?.instruction !== "string" || options.reasoning.instruction.trim() === "") {
    throw new TypeError("authorize: `reasoning.instruction` is required (the instruction the agent is following).");
  }
  const { signal } = options;
  signal?.throwIfAborted();
  const body = withoutUndefined({
    action,
    resource: options.resource,
    params: options.params,
    reasoning: withoutUndefined({ ...options.reasoning }),
    onBehalfOf: options.onBehalfOf,
    traceId: options.traceId,
    parentDecisionId: options.parentDecisionId,
    delegationToken: options.delegationToken,
  });
  const answer = await transport.request({ method: "POST", path: "/decisions", body, signal });
  const decision = readDecision(answer.body, answer.status);
  const requestId = answer.headers.get("x-request-id") ?? undefined;

  if (decision.effect === "allow") return { decisionId: decision.decisionId, effect: "allow", reason: decision.reason };
  if (decision.effect === "deny") throw new DeniedError({ reason: decision.reason, decisionId: decision.decisionId, requestId });
  if (typeof decision.checkpointId !== "string" || decision.checkpointId === "") {
    throw invalid(answer.status, "a pending decision without a checkpointId");
  }
  return waitForCheckpoint(transport, decision as DecisionResponse & { checkpointId: string }, options);
}

async function waitForCheckpoint(transport: Transport, decision: DecisionResponse & { checkpointId: string }, options: AuthorizeOptions): Promise<Decision> {
  const { decisionId, checkpointId } = decision;
  transport.emit({ type: "checkpoint.waiting", decisionId, checkpointId, ...(decision.expiresAt ? { expiresAt: decision.expiresAt } : {}) });

  // The deadline aborts the request in flight, so the wait ends on time even mid long-poll. Without
  // an explicit timeout it follows the checkpoint's expiry, which a person may extend while we wait.
  const deadlineSignal = new AbortController();
  const started = Date.now();
  let deadline = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The error names the whole wait from `started`: exactly the timeout asked for, unless extended.
  const armDeadline = (timeoutMs: number, from: number) => {
    clearTimeout(timer);
    deadline = from + timeoutMs;
    timer = setTimeout(() => deadlineSignal.abort(new ApprovalTimeoutError(decisionId, checkpointId, deadline - started)), Math.max(0, deadline - Date.now()));
  };
  armDeadline(approvalTimeout(decision.expiresAt, options.approvalTimeoutMs), started);
  const linked = linkSignals(options.signal, deadlineSignal.signal);
  let failures = 0;
  try {
    for (;;) {
      const waitSeconds = Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.floor((deadline - Date.now()) / 1000)));
      const asked = Date.now();
      let checkpoint: CheckpointResponse;
      try {
        const answer = await transport.request({
          method: "GET",
          path: `/checkpoints/${encodeURIComponent(checkpointId)}?wait=${waitSeconds}`,
          signal: linked.signal,
          holdMs: waitSeconds * 1000,
        });
        checkpoint = readCheckpoint(answer.body, answer.status);
        failures = 0;
      } catch (error) {
        // An outage must not lose an approval a person is about to give: keep asking until the deadline.
        if (!(error instanceof UnavailableError) || linked.signal.aborted) throw error;
        failures += 1;
        await sleep(backoffMs(failures, transport.retry), linked.signal);
        continue;
      }
      if (checkpoint.status === "approved") {
        return withoutUndefined({
          decisionId,
          effect: "allow" as const,
          reason: decision.reason,
          checkpointId,
          decidedBy: checkpoint.decidedBy,
          note: checkpoint.note,
          decidedAt: checkpoint.decidedAt,
        });
      }
      if (checkpoint.status === "denied" || checkpoint.status === "expired") {
        throw new DeniedError({
          reason: checkpoint.status === "denied" ? "approval_denied" : "approval_expired",
          decisionId,
          checkpointId,
          ...(checkpoint.decidedBy !== undefined ? { decidedBy: checkpoint.decidedBy } : {}),
          ...(typeof checkpoint.note === "string" ? { note: checkpoint.note } : {}),
        });
      }
      if (options.approvalTimeoutMs === undefined && typeof checkpoint.expiresAt === "string") {
        const timeoutMs = approvalTimeout(checkpoint.expiresAt, undefined);
        const now = Date.now();
        if (now + timeoutMs > deadline) armDeadline(timeoutMs, now);
      }
      const elapsed = Date.now() - asked;
      if (elapsed < MIN_POLL_SPACING_MS) await sleep(MIN_POLL_SPACING_MS - elapsed, linked.signal);
    }
  } catch (error) {
    // Aborted by the deadline: the request's own failure would hide why.
    if (deadlineSignal.signal.aborted && !options.signal?.aborted) throw deadlineSignal.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    linked.dispose();
  }
}

function approvalTimeout(expiresAt: string | undefined, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isFinite(requested) || requested <= 0) throw new TypeError("authorize: `approvalTimeoutMs` must be a positive number.");
    return requested;
  }
  const expiry = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  return Number.isNaN(expiry) ? DEFAULT_APPROVAL_TIMEOUT_MS : Math.max(1_000, expiry - Date.now() + EXPIRY_GRACE_MS);
}

function readDecision(body: unknown, status: number): DecisionResponse {
  const decision = body as Partial<DecisionResponse> | undefined;
  if (typeof decision !== "object" || decision === null) throw invalid(status, "no decision document");
  if (typeof decision.decisionId !== "string" || typeof decision.reason !== "string") throw invalid(status, "a decision without decisionId or reason");
  if (decision.effect !== "allow" && decision.effect !== "deny" && decision.effect !== "pending") {
    throw invalid(status, `the unknown effect ${JSON.stringify(decision.effect)}`);
  }
  return decision as DecisionResponse;
}

function readCheckpoint(body: unknown, status: number): CheckpointResponse {
  const checkpoint = body as Partial<CheckpointResponse> | undefined;
  const known = ["pending", "approved", "denied", "expired"];
  if (typeof checkpoint !== "object" || checkpoint === null || !known.includes(checkpoint.status as string)) {
    throw invalid(status, "a checkpoint without a known status");
  }
  return checkpoint as CheckpointResponse;
}

/** Fail closed on an answer the SDK does not understand: never read it as an allow. */
function invalid(status: number, what: string): MandateError {
  return new MandateError({ status, code: "invalid_response", detail: `Mandate answered with ${what}; treating it as not allowed.` });
}

export function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
