// Starts agent-API data planes on real ports against the test database — each "instance" with its
// own pool, decision writer and (optionally) its own change listener, as separate processes would
// have — and calls them over HTTP. A TCP proxy stands in for a database server that goes away.
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { changesListening, closeNotify, createChangeListener, subscribeChanges, type ChangeListener } from "@/lib/db/notify";
import { createDecisionWriter, createWriterPool, type DecisionWriter } from "@/lib/decisions/group-commit";
import { buildAgentDataPlane } from "@/lib/http/dataplane/agent-data-plane";
import { closeKillStatus } from "@/lib/kill/status-services";
import { seedOrg, type Org } from "./decide-fixtures";

export interface Plane {
  url: string;
  app: FastifyInstance;
  pool: pg.Pool;
  writer: DecisionWriter;
  close(): Promise<void>;
}

export interface PlaneOptions {
  /** The database URL (default: the test file's). */
  databaseUrl?: string;
  /** Its own LISTEN connection instead of the process's (as a second process would have). */
  ownListener?: boolean;
}

export async function startPlane(options: PlaneOptions = {}): Promise<Plane> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL!;
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 1_000 });
  pool.on("error", () => {});
  const writer = createDecisionWriter({ pool: createWriterPool(url), ownsPool: true });
  let listener: ChangeListener | undefined;
  if (options.ownListener) {
    listener = createChangeListener({ url, minBackoffMs: 50, maxBackoffMs: 200, connectTimeoutMs: 1_000 });
  } else {
    // The process listener starts with its first subscriber; the plane subscribes below.
    subscribeChanges(() => {})();
  }
  const app = buildAgentDataPlane({ pool, logger: false, writer, ...(listener ? { changes: listener } : {}) });
  await app.listen({ port: 0, host: "127.0.0.1" });
  if (listener) await Promise.race([listener.ready(), sleep(5_000)]);
  else await waitFor(() => changesListening(), 5_000);
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    pool,
    writer,
    async close() {
      await app.close();
      await writer.close();
      await listener?.close();
      await pool.end();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export async function call(
  plane: Pick<Plane, "url">,
  method: "GET" | "POST",
  path: string,
  options: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${plane.url}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: the test asserts on status and text.
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A realistic decision body. */
export function ask(action: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action,
    reasoning: { instruction: "Handle ticket 4711 for the customer.", considered: ["read it", "ask a person"], chosen: "read it", rationale: "The ticket has what I need." },
    traceId: "trace-4711",
    ...extra,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await sleep(everyMs);
  }
  throw new Error(`Condition not met within ${timeoutMs} ms.`);
}

/** A TCP proxy to the database server; stop() makes the server "go away" (open connections cut, new ones refused). */
export async function startDatabaseProxy(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.toString(),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * Two instances on one database, as two machines would run: A on the process-wide listener, B on a
 * LISTEN connection of its own; plus the seeded organisation. Pair with stopTwoPlanes in afterAll.
 */
export async function startTwoPlanes(): Promise<{ a: Plane; b: Plane; org: Org }> {
  const org = await seedOrg();
  const a = await startPlane();
  const b = await startPlane({ ownListener: true });
  return { a, b, org };
}

export async function stopTwoPlanes(...planes: Plane[]): Promise<void> {
  for (const plane of planes) {
    closeKillStatus(plane.pool);
    // fetch may hold a spare connection that never carried a request; the server would wait for it.
    plane.app.server.closeAllConnections();
  }
  await Promise.all(planes.map((plane) => plane.close()));
  await closeNotify();
}
