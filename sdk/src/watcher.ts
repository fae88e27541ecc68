// The kill watcher: keeps hearing the agent's kill-switch state — pushed over Server-Sent Events,
// else long-polled, else polled — and aborts `signal` within a second of a kill, suspension or
// retirement. The dead-man lease aborts it too when Mandate has been silent for longer than
// `leaseMs`, because an agent that cannot be stopped must stop itself (fail closed).
// Once `signal` has aborted it stays aborted, but the watcher keeps listening until stop() (unless
// `keepWatching: false`): a draft agent reports `suspended` and must still acknowledge the kill
// drill that activation requires, which an owner may start at any time after it connects.
import { AuthenticationError, ForbiddenError, InvalidRequestError, KilledError, LeaseExpiredError, MandateError } from "./errors.js";
import { StreamUnsupportedError, readEventStream } from "./event-stream.js";
import type { SseMessage } from "./sse.js";
import { backoffMs, sleep, unref } from "./timing.js";
import type { Transport } from "./transport.js";
import type { AgentState, AgentStatus, DrillNotice, KillMode, WatchMode, WatchOptions } from "./types.js";

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_POLL_INTERVAL_MS = 750;
const MAX_WAIT_SECONDS = 25;
/** A long-poll answer must reach us this long before the lease runs out. */
const LEASE_MARGIN_MS = 5_000;
/** Before reconnecting a stream that ended normally, unless the server set `retry:`. */
const RECONNECT_MS = 250;
const SSE_FAILURES_BEFORE_FALLBACK = 3;
const MODES: readonly WatchMode[] = ["sse", "long-poll", "poll"];
const STATES: readonly string[] = ["active", "suspended", "killed", "retired"];

export class KillWatcher {
  /** Aborts when the agent must stop; its `reason` is a KilledError, LeaseExpiredError or AuthenticationError. */
  readonly signal: AbortSignal;
  /** Resolves with the first status heard; rejects if the watcher aborts or stops first. */
  readonly ready: Promise<AgentStatus>;

  private readonly agent = new AbortController();
  /** The watching loop: ends on stop(), a refused key, or the abort when `keepWatching` is false. */
  private readonly loop = new AbortController();
  /** Drill acknowledgements: only stop() cancels them, so one sent with the abort still lands. */
  private readonly acks = new AbortController();
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly keepWatching: boolean;
  private current: WatchMode;
  /** The status the agent runs (or stopped) on: it no longer changes once `signal` has aborted. */
  private latest: AgentStatus | undefined;
  /** The last status heard, after the abort too: it paces the long-poll. */
  private heard: AgentStatus | undefined;
  private lastContact = Date.now();
  private leaseTimer: ReturnType<typeof setTimeout> | undefined;
  private etag: string | undefined;
  private lastEventId = "";
  private serverRetryMs: number | undefined;
  private readonly acknowledged = new Set<string>();
  private settleReady!: { resolve: (status: AgentStatus) => void; reject: (reason: unknown) => void };

  constructor(
    private readonly transport: Transport,
    options: WatchOptions = {},
  ) {
    this.leaseMs = positive(options.leaseMs, DEFAULT_LEASE_MS, "leaseMs");
    this.pollIntervalMs = positive(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS, "pollIntervalMs");
    this.keepWatching = options.keepWatching ?? true;
    this.current = options.mode ?? "sse";
    if (!MODES.includes(this.current)) throw new TypeError(`watch: \`mode\` must be one of ${MODES.join(", ")}.`);
    this.signal = this.agent.signal;
    this.ready = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    // Nobody has to await `ready`; its rejection must not crash the process.
    this.ready.catch(() => undefined);
    this.armLease();
    void this.run();
  }

  /**
   * The last state heard, or "unknown" before the first answer. After `signal` aborts it stays the
   * state that stopped the agent, even if Mandate later revives it: a stopped agent restarts explicitly.
   */
  get state(): AgentState | "unknown" {
    return this.latest?.state ?? "unknown";
  }

  get status(): AgentStatus | undefined {
    return this.latest;
  }

  get mode(): WatchMode {
    return this.current;
  }

  get lastContactAt(): Date {
    return new Date(this.lastContact);
  }

  /** Stops watching without aborting `signal` (an agent that shuts down on its own); no request follows. */
  stop(): void {
    const reason = new Error("The kill watcher was stopped.");
    this.acks.abort(reason);
    this.finish(reason);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.loop.signal.aborted) {
      try {
        if (this.current === "sse") {
          // A stream that ends before saying anything counts as a failure.
          failures = (await this.streamOnce()) ? 0 : failures + 1;
        } else {
          await this.pollOnce();
          failures = 0;
        }
      } catch (error) {
        if (this.loop.signal.aborted) break;
        if (error instanceof AuthenticationError || error instanceof ForbiddenError) {
          // A revoked key (a forced kill revokes them all) means Mandate will not hear us again.
          this.abortAgent(error);
          this.finish(error);
          break;
        }
        if (error instanceof StreamUnsupportedError) {
          this.switchTo("long-poll");
          continue;
        }
        if (error instanceof InvalidRequestError && this.current === "long-poll") {
          this.switchTo("poll");
          continue;
        }
        this.transport.emit({ type: "watch.error", error: error instanceof Error ? error : new Error(String(error)) });
        failures += 1;
        // A stream that stays silent (a buffering proxy) would run the lease out: long-poll hears a kill as fast.
        if (this.current === "sse" && error instanceof MandateError && error.code === "stream_idle") failures = SSE_FAILURES_BEFORE_FALLBACK;
      }
      if (this.current === "sse" && failures >= SSE_FAILURES_BEFORE_FALLBACK) {
        this.switchTo("long-poll");
        failures = 0;
      }
      const pauseMs = failures > 0 ? this.backoff(failures) : this.current === "sse" ? (this.serverRetryMs ?? RECONNECT_MS) : 0;
      if (pauseMs > 0) await sleep(pauseMs, this.loop.signal).catch(() => undefined);
    }
  }

  /** One SSE connection; true when it carried at least one message. */
  private async streamOnce(): Promise<boolean> {
    let heard = false;
    this.lastEventId = await readEventStream(this.transport, {
      lastEventId: this.lastEventId,
      idleMs: Math.max(1_000, Math.floor(this.leaseMs / 2)),
      signal: this.loop.signal,
      message: (message) => {
        heard = true;
        this.lastEventId = message.lastEventId;
        this.onMessage(message);
      },
      comment: () => this.contact(),
      // The server's reconnection delay, but never so long that the lease runs out meanwhile.
      retry: (ms) => (this.serverRetryMs = Math.min(ms, this.leaseMs / 4)),
    });
    return heard;
  }

  private onMessage(message: SseMessage): void {
    this.contact();
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return; // e.g. a "heartbeat" event whose data is not JSON: contact is all it means
    }
    if (typeof data !== "object" || data === null) return;
    const record = data as Record<string, unknown>;
    if (typeof record.state === "string") this.apply(record as AgentStatus);
    else if (message.event === "drill" && typeof record.id === "string") this.acknowledge(record as DrillNotice);
  }

  /** One status request, paced: plain polls every pollIntervalMs, long-polls as the server answers. */
  private async pollOnce(): Promise<void> {
    const longPoll = this.current === "long-poll";
    const wait = longPoll ? Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.floor((this.leaseMs - LEASE_MARGIN_MS) / 1000))) : 0;
    const before = this.fingerprint();
    const started = Date.now();
    const answer = await this.transport.request({
      method: "GET",
      path: longPoll ? `/agent/status?wait=${wait}` : "/agent/status",
      headers: this.etag ? { "if-none-match": this.etag } : {},
      accept: [304],
      signal: this.loop.signal,
      holdMs: wait * 1000,
      retry: false,
    });
    this.contact();
    if (answer.status !== 304) {
      this.etag = answer.headers.get("etag") ?? undefined;
      const status = answer.body as AgentStatus | undefined;
      if (typeof status?.state !== "string") throw new Error("GET /agent/status answered without a state.");
      this.apply(status);
    }
    // Poll at the set pace; a long-poll that came back at once without news is not really held.
    const elapsed = Date.now() - started;
    const unchanged = this.fingerprint() === before;
    if (!longPoll || unchanged) {
      if (elapsed < this.pollIntervalMs) await sleep(this.pollIntervalMs - elapsed, this.loop.signal);
    }
  }

  private apply(status: AgentStatus): void {
    this.heard = status;
    if (status.drill && typeof status.drill.id === "string") this.acknowledge(status.drill);
    // After the abort only drills matter: the agent stays stopped whatever the state becomes.
    if (this.agent.signal.aborted) return;
    this.latest = status;
    this.transport.emit({ type: "watch.status", status });
    this.settleReady.resolve(status);
    if (status.state === "active") return;
    // Anything but active stops the agent, including a state this SDK does not know (fail closed).
    const state = (STATES.includes(status.state) ? status.state : "suspended") as AgentState;
    const mode: KillMode = status.mode === "graceful" || status.mode === "forced" ? status.mode : state === "killed" ? "forced" : "graceful";
    this.abortAgent(new KilledError({ state, mode, ...(status.reason ? { reason: status.reason } : {}), ...(status.since ? { since: status.since } : {}) }));
  }

  /** Kill drills measure how fast the agent hears a kill: acknowledge at once, once per drill. */
  private acknowledge(drill: DrillNotice): void {
    if (this.acknowledged.has(drill.id)) return;
    this.acknowledged.add(drill.id);
    const started = Date.now();
    this.transport
      .request({ method: "POST", path: `/agent/drills/${encodeURIComponent(drill.id)}/ack`, signal: this.acks.signal })
      .then(
        (answer) => {
          const outcome = (answer.body as { status?: unknown } | undefined)?.status;
          this.transport.emit({
            type: "drill.acknowledged",
            drillId: drill.id,
            latencyMs: Date.now() - started,
            ...(outcome === "passed" || outcome === "failed" ? { outcome } : {}),
          });
        },
        (error: unknown) => {
          // Another try when the drill shows up again, unless the server refused this one outright (4xx).
          const status = error instanceof MandateError ? error.status : undefined;
          if (status === undefined || status >= 500) this.acknowledged.delete(drill.id);
          if (!this.acks.signal.aborted) this.transport.emit({ type: "drill.failed", drillId: drill.id, error: error instanceof Error ? error : new Error(String(error)) });
        },
      );
  }

  private contact(): void {
    this.lastContact = Date.now();
  }

  private armLease(): void {
    const due = this.lastContact + this.leaseMs - Date.now();
    this.leaseTimer = setTimeout(() => {
      if (this.loop.signal.aborted || this.agent.signal.aborted) return;
      if (Date.now() - this.lastContact >= this.leaseMs) this.abortAgent(new LeaseExpiredError(this.leaseMs, new Date(this.lastContact)));
      else this.armLease();
    }, Math.max(1, due));
    unref(this.leaseTimer);
  }

  private switchTo(mode: WatchMode): void {
    this.current = mode;
    this.transport.emit({ type: "watch.mode", mode });
  }

  private backoff(failures: number): number {
    const cap = Math.min(this.transport.retry.maxDelayMs, Math.max(250, this.leaseMs / 4));
    return Math.min(cap, backoffMs(failures, this.transport.retry));
  }

  private fingerprint(): string {
    return JSON.stringify(this.heard ?? null);
  }

  /** Stops the agent for good; the loop goes on only to acknowledge drills (see `keepWatching`). */
  private abortAgent(reason: Error): void {
    if (this.agent.signal.aborted) return;
    this.agent.abort(reason);
    // The lease guards a running agent; a stopped one has nothing left for it to stop.
    clearTimeout(this.leaseTimer);
    this.settleReady.reject(reason);
    if (!this.keepWatching) this.finish(reason);
  }

  private finish(reason: unknown): void {
    if (this.loop.signal.aborted) return;
    clearTimeout(this.leaseTimer);
    this.settleReady.reject(reason);
    this.loop.abort(reason);
    this.transport.emit({ type: "watch.stopped", reason });
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`watch: \`${name}\` must be a positive number of milliseconds.`);
  return value;
}
