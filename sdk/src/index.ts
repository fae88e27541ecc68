// @mandate/sdk: ask Mandate before every consequential action, and stop when it says stop.
export { Mandate } from "./client.js";
export { KillWatcher } from "./watcher.js";
export {
  ApprovalTimeoutError,
  AuthenticationError,
  ConflictError,
  DeniedError,
  ForbiddenError,
  InvalidRequestError,
  KilledError,
  LeaseExpiredError,
  MandateError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnavailableError,
  type InvalidField,
} from "./errors.js";
export { SDK_VERSION } from "./transport.js";
export type {
  AgentIdentity,
  AgentState,
  AgentStatus,
  AuthorizeOptions,
  CheckpointState,
  Decision,
  DelegateOptions,
  Delegation,
  DrillNotice,
  Effect,
  KillMode,
  MandateEvent,
  MandateOptions,
  OutcomeReport,
  OutcomeStatus,
  Reasoning,
  RetryOptions,
  WatchMode,
  WatchOptions,
} from "./types.js";
