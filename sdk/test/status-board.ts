// The fake's kill-switch state: GET /agent/status with ETag and long-poll, and GET /agent/events as
// an SSE stream that starts with the current status, sends each change with an id, and resumes
// after Last-Event-ID. Kill drills work as on the real server: starting or acknowledging one
// changes the body and the ETag (`"<version>.<drillId>"` while pending) without bumping the version.
import type { ServerResponse } from "node:http";
import { json, problem, type Handler } from "./fake-mandate.ts";

export interface BoardStatus {
  state: string;
  mode?: string;
  reason?: string;
  drill?: { id: string; startedAt: string } | null;
}

export class StatusBoard {
  version = 1;
  status: BoardStatus = { state: "active" };
  private readonly waiters = new Set<() => void>();
  private readonly streams = new Set<ServerResponse>();
  /** Times (ms since epoch) at which each change was written to the open streams. */
  readonly pushedAt: number[] = [];
  /** Drills acknowledged through ackRoute, in order (a refused second ack is not added). */
  readonly acked: string[] = [];
  private readonly drillsStarted = new Map<string, number>();

  /** The ETag, and the SSE event id without its quotes. */
  get etag(): string {
    return `"${this.eventId}"`;
  }

  get eventId(): string {
    return this.status.drill ? `${this.version}.${this.status.drill.id}` : String(this.version);
  }

  document() {
    return { ...this.status, since: "2026-01-01T00:00:00.000Z", version: this.version };
  }

  set(status: BoardStatus): void {
    this.version += 1;
    this.publish(status);
  }

  /** An owner starts a kill drill: the status carries it, the version stays. */
  startDrill(id: string): void {
    this.drillsStarted.set(id, Date.now());
    this.publish({ ...this.status, drill: { id, startedAt: new Date().toISOString() } });
  }

  /** POST /agent/drills/:id/ack: 200 for the pending drill (which leaves the status), 409 once acknowledged, else 404. */
  readonly ackRoute: Handler = (_request, response, params) => {
    const id = params.id ?? "";
    if (this.acked.includes(id)) return problem(response, 409, "conflict", "This drill was already acknowledged.");
    if (this.status.drill?.id !== id) return problem(response, 404, "not_found", "No such drill for this agent.");
    this.acked.push(id);
    const next = { ...this.status };
    delete next.drill;
    this.publish(next);
    json(response, 200, { drillId: id, status: "passed", latencyMs: Date.now() - (this.drillsStarted.get(id) ?? Date.now()) });
  };

  private publish(status: BoardStatus): void {
    this.status = status;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    for (const stream of this.streams) this.write(stream);
    this.pushedAt.push(Date.now());
  }

  /** Ends every open stream (the server going away mid-stream). */
  dropStreams(): void {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  readonly statusRoute: Handler = async (request, response) => {
    const wait = Math.min(30, Number(request.query.get("wait") ?? 0));
    if (request.headers["if-none-match"] === this.etag && wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait * 1000).unref();
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (request.headers["if-none-match"] === this.etag) {
      response.writeHead(304, { etag: this.etag });
      response.end();
      return;
    }
    json(response, 200, this.document(), { etag: this.etag });
  };

  /** `heartbeatMs` 0 = a silent stream after the first status. */
  eventsRoute(options: { heartbeatMs?: number; initial?: boolean } = {}): Handler {
    return (request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      response.flushHeaders();
      if (options.initial !== false && request.headers["last-event-id"] !== this.eventId) this.write(response);
      this.streams.add(response);
      const heartbeat = options.heartbeatMs ? setInterval(() => response.write(": heartbeat\n\n"), options.heartbeatMs) : undefined;
      response.on("close", () => {
        clearInterval(heartbeat);
        this.streams.delete(response);
      });
    };
  }

  private write(stream: ServerResponse): void {
    stream.write(`id: ${this.eventId}\nevent: status\ndata: ${JSON.stringify(this.document())}\n\n`);
  }
}
