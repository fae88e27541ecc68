// Change fan-out across instances: a change to something the hot path caches sends
// pg_notify('mandate_changes', …) INSIDE its transaction — PostgreSQL delivers it at commit and
// never for a rollback — and every instance holds one LISTEN connection that hands each change to
// its caches. A listener that was disconnected may have missed changes, so it tells its subscribers
// `{ kind: "resync" }` (drop everything) when the connection is lost and again once it is back.
// Needs a session-level connection: LISTEN does not work through a transaction-pooling proxy.
import "server-only";
import pg from "pg";
import { z } from "zod";
import { databaseUrl } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";

export const CHANGE_CHANNEL = "mandate_changes";
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (default build).
const MAX_PAYLOAD_BYTES = 7_999;

export const CHANGE_KINDS = ["agent", "credential", "list", "catalog", "policy", "fleet", "capability", "delegation", "checkpoint"] as const;

const changeSchema = z.object({
  kind: z.enum(CHANGE_KINDS),
  id: z.string().min(1).max(200).optional(),
  agentId: z.string().min(1).max(200).optional(),
});

export type ChangeEvent = z.infer<typeof changeSchema>;
/** What subscribers receive: a committed change, or "forget everything you cached". */
export type ChangeMessage = ChangeEvent | { kind: "resync" };
export type ChangeHandler = (message: ChangeMessage) => void | Promise<void>;

/** A Prisma client or transaction (`tx`), or a pg client inside its own BEGIN … COMMIT. */
export type NotifyClient = Pick<Db, "$executeRaw"> | Pick<pg.ClientBase, "query"> | Pick<pg.Pool, "query">;

/** Serializes a change, refusing anything a listener would drop as malformed. */
export function encodeChange(event: ChangeEvent): string {
  const payload = JSON.stringify(changeSchema.parse(event));
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new Error(`A change notification must stay under 8000 bytes (got ${Buffer.byteLength(payload)}).`);
  return payload;
}

/**
 * Announces a change. Call it with the transaction of the change itself, so the notification
 * goes out at commit and never for a rolled-back change.
 */
export async function notifyChange(client: NotifyClient, event: ChangeEvent): Promise<void> {
  const payload = encodeChange(event);
  if ("$executeRaw" in client) await client.$executeRaw`select pg_notify(${CHANGE_CHANNEL}, ${payload})`;
  else await client.query("select pg_notify($1, $2)", [CHANGE_CHANNEL, payload]);
}

export interface ChangeListenerOptions {
  url: string;
  applicationName?: string;
  /** First reconnect delay; doubles per failed attempt up to maxBackoffMs (with jitter). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A `select 1` this often finds a connection that died silently (no FIN, no RST). */
  heartbeatMs?: number;
  connectTimeoutMs?: number;
  /** Told when the connection is lost and when it is back (one line each, not per retry). */
  log?: (line: string) => void;
}

export interface ChangeListenerStats {
  connects: number;
  /** Connection attempts that failed (before LISTEN took effect). */
  failedConnects: number;
  delivered: number;
  malformed: number;
  handlerErrors: number;
}

export interface ChangeListener {
  subscribe(handler: ChangeHandler): () => void;
  /** True while LISTEN is established; caches should not store while it is false. */
  listening(): boolean;
  /** Resolves once LISTEN is established (at once if it is). */
  ready(): Promise<void>;
  stats(): ChangeListenerStats;
  close(): Promise<void>;
}

export function createChangeListener(options: ChangeListenerOptions): ChangeListener {
  const minBackoff = options.minBackoffMs ?? 100;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const log = options.log ?? (() => {});
  const handlers = new Set<ChangeHandler>();
  const counters: ChangeListenerStats = { connects: 0, failedConnects: 0, delivered: 0, malformed: 0, handlerErrors: 0 };
  let waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let client: pg.Client | null = null;
  let isListening = false;
  let closed = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;

  const emit = (message: ChangeMessage) => {
    for (const handler of [...handlers]) {
      try {
        const result = handler(message);
        if (result instanceof Promise) result.catch(() => (counters.handlerErrors += 1));
      } catch {
        counters.handlerErrors += 1;
      }
    }
  };

  const receive = (payload: string | undefined) => {
    let data: unknown;
    try {
      data = JSON.parse(payload ?? "");
    } catch {
      counters.malformed += 1;
      return;
    }
    const parsed = changeSchema.safeParse(data);
    if (!parsed.success) {
      counters.malformed += 1;
      return;
    }
    counters.delivered += 1;
    emit(parsed.data);
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    const base = Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 16));
    failures += 1;
    // Jitter keeps many instances from reconnecting in lockstep after a database restart.
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
    reconnectTimer.unref();
  };

  const connect = async () => {
    if (closed) return;
    const connection = new pg.Client({
      connectionString: options.url,
      application_name: options.applicationName ?? "mandate-changes",
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      keepAlive: true,
    });
    client = connection;
    let lost = false;
    let heartbeat: NodeJS.Timeout | null = null;

    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (heartbeat) clearInterval(heartbeat);
      if (client === connection) client = null;
      connection.end().catch(() => {});
      if (closed) return;
      if (isListening) {
        isListening = false;
        log(`Change listener lost its connection (${describe(error)}); reconnecting.`);
        // Whatever arrives while we are away is lost: caches must stop trusting what they hold.
        emit({ kind: "resync" });
      }
      scheduleReconnect();
    };
    // Kept after loss too: a late 'error' without a listener would crash the process.
    connection.on("error", onLost);
    connection.on("end", () => onLost(new Error("connection ended")));
    connection.on("notification", (message) => {
      if (!lost && message.channel === CHANGE_CHANNEL) receive(message.payload);
    });

    try {
      await connection.connect();
      await connection.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      counters.failedConnects += 1;
      onLost(error);
      return;
    }
    if (lost || closed) {
      connection.end().catch(() => {});
      return;
    }

    let beating = false;
    heartbeat = setInterval(() => {
      if (beating) return onLost(new Error("heartbeat unanswered"));
      beating = true;
      connection.query("select 1").then(() => (beating = false), onLost);
    }, heartbeatMs);
    heartbeat.unref();

    if (failures > 0 && counters.connects > 0) log("Change listener reconnected; caches resynced.");
    failures = 0;
    counters.connects += 1;
    isListening = true;
    // Changes committed before LISTEN took effect were never sent to us.
    emit({ kind: "resync" });
    const ready = waiters;
    waiters = [];
    for (const waiter of ready) waiter.resolve();
  };

  void connect();

  return {
    subscribe(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    listening: () => isListening,
    ready() {
      if (isListening) return Promise.resolve();
      if (closed) return Promise.reject(new Error("The change listener is closed."));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    stats: () => ({ ...counters }),
    async close() {
      closed = true;
      isListening = false;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      for (const waiter of waiters) waiter.reject(new Error("The change listener is closed."));
      waiters = [];
      handlers.clear();
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : "connection lost";
}

// One listener per process, started by the first subscriber.
const holder = globalThis as unknown as { __mandateChanges?: ChangeListener };

export function subscribeChanges(handler: ChangeHandler): () => void {
  holder.__mandateChanges ??= createChangeListener({ url: databaseUrl(), log: (line) => console.warn(line) });
  return holder.__mandateChanges.subscribe(handler);
}

/** Whether this process currently hears changes (false before the first subscriber, or while reconnecting). */
export function changesListening(): boolean {
  return holder.__mandateChanges?.listening() ?? false;
}

export async function closeNotify(): Promise<void> {
  const listener = holder.__mandateChanges;
  holder.__mandateChanges = undefined;
  await listener?.close();
}
