// One error type for the whole domain, one table from code to HTTP status, and one function
// that turns any thrown value into an RFC 9457 problem document. Unknown errors become a plain
// 500 whose message never reaches the client.

export const ERRORS = {
  bad_request: { status: 400, title: "Bad request" },
  invalid_json: { status: 400, title: "Malformed JSON" },
  validation_failed: { status: 400, title: "Validation failed" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  unprocessable: { status: 422, title: "Unprocessable" },
  too_many_requests: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface InvalidField {
  /** Dotted path of the field, e.g. "reasoning.instruction". */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: InvalidField[];

  constructor(code: ErrorCode, message: string, fields?: InvalidField[]) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = fields;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId?: string;
  errors?: InvalidField[];
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemFor(error: unknown, requestId?: string): Problem {
  const known = error instanceof AppError ? error : undefined;
  const code: ErrorCode = known?.code ?? "internal";
  const { status, title } = ERRORS[code];
  return {
    type: `https://mandate.dev/problems/${code.replaceAll("_", "-")}`,
    title,
    status,
    detail: known?.message ?? "Something went wrong on our side. Quote the request id when you report it.",
    code,
    ...(requestId ? { requestId } : {}),
    ...(known?.fields ? { errors: known.fields } : {}),
  };
}

/** Converts zod issues into our invalid-field list. */
export function fieldsFromZod(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): InvalidField[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(root)", message: issue.message }));
}
