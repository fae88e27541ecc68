// Every failure the SDK reports is a MandateError, so an agent can catch one type and branch on
// `code`. Problem documents (RFC 9457) from the API become the subclass for their status, keeping
// the server's code, detail and request id; the SDK's own failures use codes of their own.
import type { AgentState, KillMode } from "./types.js";

export interface InvalidField {
  /** Dotted path of the field, e.g. "reasoning.instruction". */
  path: string;
  message: string;
}

export interface MandateErrorInit {
  code: string;
  detail: string;
  /** The HTTP status, when the error is an answer from the API. */
  status?: number;
  requestId?: string;
  errors?: readonly InvalidField[];
  cause?: unknown;
}

export class MandateError extends Error {
  readonly code: string;
  readonly detail: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly errors?: readonly InvalidField[];

  constructor(init: MandateErrorInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.detail = init.detail;
    if (init.status !== undefined) this.status = init.status;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.errors !== undefined) this.errors = init.errors;
  }
}

/** 400, 413, 415, 422: the request itself is wrong; sending it again will not help. */
export class InvalidRequestError extends MandateError {}
/** 401: the key is missing, unknown, revoked or expired (a forced kill revokes every key). */
export class AuthenticationError extends MandateError {}
/** 403. */
export class ForbiddenError extends MandateError {}
/** 404: for example another agent's checkpoint or decision. */
export class NotFoundError extends MandateError {}
/** 409: for example an outcome reported twice, or on a decision that was not allowed. */
export class ConflictError extends MandateError {}
/** 429. */
export class RateLimitedError extends MandateError {}
/** 500 and other server failures that are not worth repeating. */
export class ServerError extends MandateError {}
/**
 * Mandate could not give an answer: the network failed, the request timed out, or the server
 * answered 502/503/504 (503 = its database is unavailable) after every retry. authorize() throws
 * this instead of ever allowing: fail closed.
 */
export class UnavailableError extends MandateError {}

export interface DeniedInit {
  reason: string;
  decisionId: string;
  checkpointId?: string;
  decidedBy?: unknown;
  note?: string;
  requestId?: string;
}

/**
 * The action is not allowed: denied at once (`reason` is the engine's reason code, e.g.
 * "not_on_list", "never", "agent_killed"), or a checkpoint was denied ("approval_denied") or
 * expired ("approval_expired").
 */
export class DeniedError extends MandateError {
  readonly reason: string;
  readonly decisionId: string;
  readonly checkpointId?: string;
  readonly decidedBy?: unknown;
  readonly note?: string;

  constructor(init: DeniedInit) {
    const note = init.note ? ` (${init.note})` : "";
    super({ code: "denied", detail: `Denied: ${init.reason}${note}.`, requestId: init.requestId });
    this.reason = init.reason;
    this.decisionId = init.decisionId;
    if (init.checkpointId !== undefined) this.checkpointId = init.checkpointId;
    if (init.decidedBy !== undefined) this.decidedBy = init.decidedBy;
    if (init.note !== undefined) this.note = init.note;
  }
}

/** Nobody approved or denied the checkpoint within approvalTimeoutMs. The action must not run. */
export class ApprovalTimeoutError extends MandateError {
  readonly decisionId: string;
  readonly checkpointId: string;

  constructor(decisionId: string, checkpointId: string, timeoutMs: number) {
    super({ code: "approval_timeout", detail: `No decision on checkpoint ${checkpointId} within ${timeoutMs} ms.` });
    this.decisionId = decisionId;
    this.checkpointId = checkpointId;
  }
}

/**
 * The kill watcher's abort reason when the agent is killed, suspended or retired. Graceful: work
 * already under way may finish and report its outcome, nothing new will be allowed. Forced: stop now.
 */
export class KilledError extends MandateError {
  readonly state: AgentState;
  readonly mode: KillMode;
  readonly reason?: string;
  readonly since?: string;

  constructor(init: { state: AgentState; mode: KillMode; reason?: string; since?: string }) {
    const why = init.reason ? `: ${init.reason}` : "";
    const advice = init.mode === "graceful" ? "current work may finish and report its outcome; start nothing new" : "stop at once";
    super({ code: "killed", detail: `The agent is ${init.state} (${init.mode})${why}. ${capitalise(advice)}.` });
    this.state = init.state;
    this.mode = init.mode;
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.since !== undefined) this.since = init.since;
  }

  get graceful(): boolean {
    return this.mode === "graceful";
  }
}

/** The dead-man rule: Mandate could not be reached for longer than the lease, so the agent stops itself. */
export class LeaseExpiredError extends MandateError {
  readonly leaseMs: number;
  readonly lastContactAt: Date;

  constructor(leaseMs: number, lastContactAt: Date) {
    super({ code: "lease_expired", detail: `No contact with Mandate for more than ${leaseMs} ms (last at ${lastContactAt.toISOString()}); stopping (fail closed).` });
    this.leaseMs = leaseMs;
    this.lastContactAt = lastContactAt;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const BY_STATUS: ReadonlyArray<[test: (status: number) => boolean, type: typeof MandateError]> = [
  [(s) => s === 401, AuthenticationError],
  [(s) => s === 403, ForbiddenError],
  [(s) => s === 404, NotFoundError],
  [(s) => s === 409, ConflictError],
  [(s) => s === 429, RateLimitedError],
  [(s) => s === 502 || s === 503 || s === 504, UnavailableError],
  [(s) => s >= 500, ServerError],
  [(s) => s >= 400, InvalidRequestError],
];

/** Turns an error answer (ideally a problem document) into the typed error for its status. */
export function errorFromResponse(status: number, body: unknown, headerRequestId: string | undefined): MandateError {
  const problem = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string) => (typeof problem[key] === "string" ? (problem[key] as string) : undefined);
  const type = BY_STATUS.find(([test]) => test(status))?.[1] ?? MandateError;
  const errors = Array.isArray(problem.errors) ? problem.errors.filter(isInvalidField) : undefined;
  return new type({
    status,
    code: text("code") ?? `http_${status}`,
    detail: text("detail") ?? text("title") ?? `Mandate answered HTTP ${status}.`,
    requestId: text("requestId") ?? headerRequestId,
    ...(errors ? { errors } : {}),
  });
}

function isInvalidField(value: unknown): value is InvalidField {
  const field = value as Partial<InvalidField> | null;
  return typeof field === "object" && field !== null && typeof field.path === "string" && typeof field.message === "string";
}
