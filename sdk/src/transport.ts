// HTTP to the agent API: bearer key, JSON, a timeout per try, and retries with backoff for
// failures that another try may cure — network errors, timeouts and 502/503/504 — never for an
// answer (a 4xx, a deny). Whatever fails becomes a MandateError.
import { MandateError, UnavailableError, errorFromResponse } from "./errors.js";
import { DEFAULT_RETRY, backoffMs, linkSignals, sleep } from "./timing.js";
import type { MandateEvent, MandateOptions, RetryOptions } from "./types.js";

export const SDK_VERSION = "0.1.0";
const API_PREFIX = "/api/v1";

export interface RequestSpec {
  method: "GET" | "POST";
  /** Relative to /api/v1, query string included. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Added to the timeout: the server may hold a long-poll this long. */
  holdMs?: number;
  /** Statuses besides 2xx that are answers, e.g. 304. */
  accept?: readonly number[];
  /** false: a single try. */
  retry?: boolean;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface OpenStream {
  response: Response;
  /** Detaches the stream from its signal; call when done with the body. */
  close: () => void;
}

export class Transport {
  readonly baseUrl: string;
  private readonly key: string;
  private readonly fetchImpl: typeof fetch;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  private readonly onEvent?: (event: MandateEvent) => void;

  constructor(options: MandateOptions) {
    if (typeof options.key !== "string" || options.key.trim() === "") throw new TypeError("Mandate: `key` is required (the agent's API key).");
    this.baseUrl = apiBase(options.url);
    this.key = options.key.trim();
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("Mandate: no fetch available; use Node 20 or later, or pass `fetch`.");
    this.fetchImpl = fetchImpl;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.onEvent = options.onEvent;
  }

  emit(event: MandateEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A listener's bug must not change what the SDK does.
    }
  }

  async request(spec: RequestSpec): Promise<Answer> {
    const attempts = spec.retry === false ? 1 : Math.max(1, Math.floor(this.retry.attempts));
    for (let attempt = 1; ; attempt++) {
      spec.signal?.throwIfAborted();
      let failure: MandateError;
      let retryAfterMs = 0;
      try {
        const { response, text } = await this.send(spec);
        if (response.ok || spec.accept?.includes(response.status)) {
          return { status: response.status, headers: response.headers, body: parseAnswer(text, response.status) };
        }
        failure = errorFromResponse(response.status, parseJson(text), response.headers.get("x-request-id") ?? undefined);
        retryAfterMs = retryAfter(response.headers.get("retry-after"));
      } catch (error) {
        if (!(error instanceof UnavailableError)) throw error;
        failure = error;
      }
      if (!(failure instanceof UnavailableError) || attempt >= attempts) throw failure;
      const delayMs = Math.min(this.retry.maxDelayMs, Math.max(backoffMs(attempt, this.retry), retryAfterMs));
      this.emit({ type: "retry", method: spec.method, path: spec.path, attempt, delayMs, error: failure });
      await sleep(delayMs, spec.signal);
    }
  }

  /** Opens a streaming GET; the timeout covers the response headers only. Non-2xx answers throw. */
  async open(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<OpenStream> {
    const timeout = new AbortController();
    const linked = linkSignals(signal, timeout.signal);
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    try {
      const response = await this.fetchImpl(this.baseUrl + path, { method: "GET", headers: this.headers(headers), signal: linked.signal });
      clearTimeout(timer);
      if (!response.ok) {
        const text = await response.text();
        throw errorFromResponse(response.status, parseJson(text), response.headers.get("x-request-id") ?? undefined);
      }
      return { response, close: linked.dispose };
    } catch (error) {
      clearTimeout(timer);
      linked.dispose();
      throw this.translate(error, "GET", path, signal, timeout.signal, this.timeoutMs);
    }
  }

  private async send(spec: RequestSpec): Promise<{ response: Response; text: string }> {
    const timeout = new AbortController();
    const linked = linkSignals(spec.signal, timeout.signal);
    const limitMs = this.timeoutMs + (spec.holdMs ?? 0);
    const timer = setTimeout(() => timeout.abort(), limitMs);
    const headers = this.headers({ ...(spec.body !== undefined ? { "content-type": "application/json" } : {}), ...spec.headers });
    try {
      const response = await this.fetchImpl(this.baseUrl + spec.path, {
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        signal: linked.signal,
      });
      return { response, text: await response.text() };
    } catch (error) {
      throw this.translate(error, spec.method, spec.path, spec.signal, timeout.signal, limitMs);
    } finally {
      clearTimeout(timer);
      linked.dispose();
    }
  }

  private translate(error: unknown, method: string, path: string, caller: AbortSignal | undefined, timeout: AbortSignal, limitMs: number): unknown {
    if (error instanceof MandateError) return error;
    if (caller?.aborted) return caller.reason;
    if (timeout.aborted) return new UnavailableError({ code: "timeout", detail: `No answer from Mandate within ${limitMs} ms (${method} ${path}).` });
    return new UnavailableError({ code: "network_error", detail: `Could not reach Mandate at ${this.baseUrl} (${method} ${path}: ${describe(error)}).`, cause: error });
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return {
      authorization: `Bearer ${this.key}`,
      accept: "application/json",
      "user-agent": `mandate-sdk-js/${SDK_VERSION} node/${typeof process === "object" ? process.version : "unknown"}`,
      ...extra,
    };
  }
}

/** "https://host/" or "https://host/api/v1" → "https://host/api/v1". */
function apiBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Mandate: \`url\` must be an absolute http(s) URL, got ${JSON.stringify(url)}.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError(`Mandate: \`url\` must use http or https, got ${parsed.protocol}`);
  const path = parsed.pathname.replace(/\/+$/, "");
  return `${parsed.origin}${path.endsWith(API_PREFIX) ? path : path + API_PREFIX}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseAnswer(text: string, status: number): unknown {
  if (text === "") return undefined;
  const body = parseJson(text);
  if (body === undefined) throw new MandateError({ status, code: "invalid_response", detail: `Mandate answered HTTP ${status} with a body that is not JSON.` });
  return body;
}

/** Retry-After in seconds (dates are ignored: clocks differ). */
function retryAfter(value: string | null): number {
  if (value === null || !/^\d+$/.test(value.trim())) return 0;
  return Number(value.trim()) * 1000;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
