// Recognizes one read from a socket as exactly one plain kill-switch poll — the only request the
// connection-level path (lib/server/status-socket-path.ts) may answer itself. Deliberately
// narrower than HTTP: anything it does not fully understand, or that node:http might read
// differently (a repeated field it interprets, a body, an upgrade, a partial or a second request,
// a byte HTTP forbids), is null, and null means "node:http reads these bytes instead".
import { STATUS_PATH } from "@/lib/kill/status-not-modified";

export interface StatusPoll {
  authorization: string;
  ifNoneMatch: string;
  /** The X-Request-Id field's value, as node:http would hand it on (undefined when absent). */
  requestId: string | undefined;
}

export interface PollLimits {
  /** Whole request, head included; node:http's own limit when lower (its --max-http-header-size). */
  maxBytes: number;
  /** Header fields; node:http drops those past its maxHeadersCount, so more must not be read here. */
  maxFields: number;
}

export const DEFAULT_LIMITS: PollLimits = { maxBytes: 8 * 1024, maxFields: 64 };

const REQUEST_LINE = `GET ${STATUS_PATH} HTTP/1.1\r\n`;
const HEAD_END = "\r\n\r\n";
/** RFC 9110 token: a field name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab: no control character, no DEL, no obs-text. */
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;
/** Optional whitespace around a value, which node:http strips too. */
const OWS = /^[\t ]+|[\t ]+$/g;

/** Fields whose meaning would change the answer or the connection: such a request is node:http's. */
const REFUSED = new Set(["content-length", "transfer-encoding", "expect", "upgrade", "te", "trailer"]);
/** Fields read here: each must appear at most once (node:http would join or drop repeats). */
const READ = new Set(["authorization", "if-none-match", "host", "x-request-id", "connection"]);

export function readStatusPoll(chunk: Buffer, limits: PollLimits = DEFAULT_LIMITS): StatusPoll | null {
  if (chunk.length > limits.maxBytes || chunk.length < REQUEST_LINE.length + 2) return null;
  const text = chunk.toString("latin1");
  if (!text.startsWith(REQUEST_LINE)) return null;
  // The head must end exactly where the read ends: no body, no second request, nothing missing.
  if (text.indexOf(HEAD_END, REQUEST_LINE.length - 2) !== text.length - HEAD_END.length) return null;
  const lines = text.slice(REQUEST_LINE.length, text.length - HEAD_END.length).split("\r\n");
  if (lines.length > limits.maxFields) return null;

  const fields = new Map<string, string>();
  for (const line of lines) {
    // A bare CR or LF, an obs-fold (a line starting with whitespace) and "Name :" all fail here.
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) return null;
    const lower = name.toLowerCase();
    if (REFUSED.has(lower)) return null;
    if (!READ.has(lower)) continue;
    if (fields.has(lower)) return null;
    fields.set(lower, value.replace(OWS, ""));
  }

  const authorization = fields.get("authorization");
  const ifNoneMatch = fields.get("if-none-match");
  const connection = fields.get("connection");
  if (authorization === undefined || !ifNoneMatch || fields.get("host") === undefined) return null;
  // Keep-alive is HTTP/1.1's default; "close" (or any other option) is left to node:http.
  if (connection !== undefined && connection.toLowerCase() !== "keep-alive") return null;
  return { authorization, ifNoneMatch, requestId: fields.get("x-request-id") };
}
