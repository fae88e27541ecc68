// One connection to GET /agent/events: open it, feed the body to the SSE parser until the server
// ends it, the connection goes quiet for too long (a half-open socket), or the caller stops.
import { MandateError } from "./errors.js";
import { SseParser, type SseHandlers } from "./sse.js";
import { linkSignals } from "./timing.js";
import type { Transport } from "./transport.js";

export interface StreamOptions extends SseHandlers {
  lastEventId: string;
  /** With no bytes for this long the connection is dropped so the caller can reconnect. */
  idleMs: number;
  signal: AbortSignal;
}

/** The server has no event stream (or answers something else): the caller falls back to polling. */
export class StreamUnsupportedError extends MandateError {}

const UNSUPPORTED_STATUSES = new Set([404, 405, 406, 501]);

/** Resolves with the last event id when the server ends the stream; rejects on any failure. */
export async function readEventStream(transport: Transport, options: StreamOptions): Promise<string> {
  const connection = linkSignals(options.signal);
  const headers: Record<string, string> = { accept: "text/event-stream", "cache-control": "no-store" };
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;

  let stream;
  try {
    stream = await transport.open("/agent/events", headers, connection.signal);
  } catch (error) {
    connection.dispose();
    if (error instanceof MandateError && error.status !== undefined && UNSUPPORTED_STATUSES.has(error.status)) {
      throw new StreamUnsupportedError({ code: "stream_unsupported", status: error.status, detail: `GET /agent/events answered ${error.status}.`, cause: error });
    }
    throw error;
  }

  const { response, close } = stream;
  const parser = new SseParser(options, options.lastEventId);
  let idle: ReturnType<typeof setTimeout> | undefined;
  const quiet = new MandateError({ code: "stream_idle", detail: `The event stream sent nothing for ${options.idleMs} ms.` });
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => connection.abort(quiet), options.idleMs);
  };
  try {
    const type = response.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith("text/event-stream") || !response.body) {
      throw new StreamUnsupportedError({ code: "stream_unsupported", status: response.status, detail: `GET /agent/events answered ${type || "no content type"}.` });
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    touch();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        touch();
        parser.push(decoder.decode(value, { stream: true }));
      }
      parser.push(decoder.decode());
    } catch (error) {
      throw connection.signal.aborted ? connection.signal.reason : error;
    }
    return parser.eventId;
  } finally {
    clearTimeout(idle);
    connection.abort();
    connection.dispose();
    close();
  }
}
