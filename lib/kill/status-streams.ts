// The open GET /agent/events streams of one instance. Each stream is a small object listening on
// the status hub; one timer per instance (not per connection) writes the heartbeats, so 10,000
// idle streams cost their sockets and little else. A stream whose key is revoked (a forced kill
// revokes them all) or has expired is sent the agent's latest status and then ended: its next
// connection is refused with 401, which the SDK treats as "stop".
import "server-only";
import type { ServerResponse } from "node:http";
import type pg from "pg";
import type { ChangeMessage } from "@/lib/db/notify";
import type { ChangeFeed } from "@/lib/decisions/agent-context-cache";
import type { StatusView } from "@/lib/kill/agent-status";
import type { StatusHub, StatusListener } from "@/lib/kill/status-hub";

export interface StatusStreamsOptions {
  hub: StatusHub;
  pool: Pick<pg.Pool, "query">;
  changes: ChangeFeed;
  /** Comment lines that keep proxies and the SDK's idle check (lease / 2, 15 s by default) content; default 10 s. */
  heartbeatMs?: number;
  /** Every key behind an open stream is checked this often (revocations are also acted on at once); default 60 s. */
  keySweepMs?: number;
  /** A client that reads nothing while this much is queued for it is cut off; default 64 KiB. */
  maxQueuedBytes?: number;
}

export interface OpenStream {
  agentId: string;
  credentialId: string;
  /** The Last-Event-ID the client sent, if any. */
  lastEventId: string | undefined;
  /** The view read before the stream was opened (errors then still become a problem document). */
  first: StatusView;
  headers: Record<string, string>;
}

const LIVE_KEYS = {
  name: "mandate-status-live-keys",
  text: "SELECT id FROM credential WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
};
const SWEEP_BATCH = 5_000;

/**
 * The event id is the ETag without its quotes ("<version>" or "<version>.<drillId>"): a drill
 * starts without a version bump, so a stream resuming with Last-Event-ID must still be told of it.
 */
export function eventId(view: Pick<StatusView, "etag">): string {
  return view.etag.slice(1, -1);
}

export function statusEvent(view: StatusView): string {
  return `id: ${eventId(view)}\nevent: status\ndata: ${view.json}\n\n`;
}

class Stream implements StatusListener {
  etag: string;
  stop: () => void = () => {};

  constructor(
    readonly res: ServerResponse,
    readonly agentId: string,
    readonly credentialId: string,
    first: StatusView,
  ) {
    this.etag = first.etag;
  }

  changed(view: StatusView | null): void {
    if (!view) this.res.end();
    else this.res.write(statusEvent(view));
  }
}

export class StatusStreams {
  private readonly streams = new Set<Stream>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly maxQueued: number;

  constructor(private readonly options: StatusStreamsOptions) {
    this.maxQueued = options.maxQueuedBytes ?? 64 * 1024;
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 10_000);
    this.heartbeat.unref();
    this.sweeper = setInterval(() => void this.sweepKeys(), options.keySweepMs ?? 60_000);
    this.sweeper.unref();
    this.unsubscribe = options.changes.subscribe((message) => this.onChange(message));
  }

  /** Takes over a response whose headers are not sent yet; the first event goes out at once unless the client already has it. */
  open(res: ServerResponse, { agentId, credentialId, lastEventId, first, headers }: OpenStream): void {
    const stream = new Stream(res, agentId, credentialId, first);
    // First: it throws when the agent holds too many, and nothing may be written before that.
    // A change it reports is written after the first event (the hub tells listeners in a microtask).
    stream.stop = this.options.hub.listen(agentId, stream);
    res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", "x-accel-buffering": "no" });
    if (lastEventId === eventId(first)) res.flushHeaders();
    else res.write(statusEvent(first));
    this.streams.add(stream);
    res.once("close", () => {
      stream.stop();
      this.streams.delete(stream);
    });
  }

  size(): number {
    return this.streams.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
    this.unsubscribe();
    for (const stream of this.streams) stream.res.end();
  }

  private beat(): void {
    for (const stream of this.streams) {
      // Not reading: what we queue for it would only grow.
      if (stream.res.writableLength > this.maxQueued) stream.res.destroy();
      else stream.res.write(": heartbeat\n\n");
    }
  }

  private onChange(message: ChangeMessage): void {
    if (this.streams.size === 0) return;
    if (message.kind === "resync") void this.sweepKeys();
    else if (message.kind === "credential") {
      const agentId = message.agentId?.toLowerCase();
      const credentialId = message.agentId ? undefined : message.id?.toLowerCase();
      void this.sweepKeys((stream) => (agentId ? stream.agentId === agentId : credentialId ? stream.credentialId === credentialId : true));
    }
  }

  /** Ends the streams (matching `only`) whose key is no longer live, after sending them the latest status. */
  private async sweepKeys(only?: (stream: Stream) => boolean): Promise<void> {
    const streams = [...this.streams].filter((stream) => !only || only(stream));
    const ids = [...new Set(streams.map((stream) => stream.credentialId))];
    const live = new Set<string>();
    try {
      for (let start = 0; start < ids.length; start += SWEEP_BATCH) {
        const { rows } = await this.options.pool.query<{ id: string }>({ ...LIVE_KEYS, values: [ids.slice(start, start + SWEEP_BATCH)] });
        for (const row of rows) live.add(row.id);
      }
    } catch {
      return; // the next sweep tries again; the keys' own checks refuse them on reconnect anyway
    }
    for (const stream of streams) {
      if (live.has(stream.credentialId) || !this.streams.has(stream)) continue;
      this.streams.delete(stream);
      void this.endWithLatest(stream);
    }
  }

  private async endWithLatest(stream: Stream): Promise<void> {
    // A forced kill revokes the keys in the same transaction as the kill: say the kill, then hang up.
    const view = await this.options.hub.view(stream.agentId).catch(() => undefined);
    if (view && view.etag !== stream.etag) {
      stream.etag = view.etag;
      stream.res.write(statusEvent(view));
    }
    stream.stop();
    stream.res.end();
  }
}
