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

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why PostgreSQL could not store this text as it is (it refuses NUL in text and jsonb, and a lone
 * UTF-16 surrogate has no UTF-8 form), or null. Checked at the edges, so hostile text is a 4xx
 * naming its field instead of a database error.
 */
export function unstorableTextProblem(value: string): string | null {
  if (value.includes("\u0000")) return "Must not contain NUL characters.";
  if (UNPAIRED_SURROGATE.test(value)) return "Must not contain unpaired UTF-16 surrogates.";
  return null;
}

/** Every string (or object key) in an input that could not be stored, as invalid fields (at most 20). */
export function unstorableFields(input: unknown): InvalidField[] {
  const found: InvalidField[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (found.length >= 20 || depth > 32) return;
    if (typeof value === "string") {
      const problem = unstorableTextProblem(value);
      if (problem) found.push({ path: path || "(root)", message: problem });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, path ? `${path}.${index}` : String(index), depth + 1));
    } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
      for (const [key, inner] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        const problem = unstorableTextProblem(key);
        if (problem) found.push({ path: at, message: problem });
        walk(inner, at, depth + 1);
      }
    }
  };
  walk(input, "", 0);
  return found;
}
