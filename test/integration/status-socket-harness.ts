// The socket-path tests' harness: a real data plane behind the one-port dispatcher, the
// request-level fast path and the connection-level socket path (lib/server/status-socket-path.ts),
// served on a plain node:http server that records what node:http and Fastify saw, plus raw-TCP
// helpers to speak to it.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type pg from "pg";
import { afterAll, beforeAll, expect } from "vitest";
import { closeNotify } from "@/lib/db/notify";
import { agentServicesOf } from "@/lib/http/dataplane/agent-data-plane";
import type { Authenticate } from "@/lib/http/dataplane/define-route";
import { createStatusFastPath } from "@/lib/kill/status-fast-path";
import { closeKillStatus } from "@/lib/kill/status-services";
import { createDispatcher } from "@/lib/server/http-server";
import { installStatusSocketPath, type StatusSocketPath } from "@/lib/server/status-socket-path";
import { call, startPlane, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org, type TestAgent } from "./decide-fixtures";
import { RawClient, type RawResponse } from "./raw-http-client";

export interface Served {
  server: http.Server;
  port: number;
  socketPath: StatusSocketPath;
  /** Requests node:http parsed (the socket path's own answers are not among them). */
  requests: string[];
  /** Requests that reached Fastify. */
  routed: string[];
  /** Key checks made ahead of Fastify (socket path and request-level fast path). */
  checks: number;
}

/** Filled by setUpSocketPath()'s beforeAll: the data plane, its organisation, and the served front. */
export const harness = {} as { plane: Plane; org: Org; main: Served };
/** Every server started, closed after the file (a test that closes its own removes it). */
export const servers: Served[] = [];

export async function serve(authenticate: Authenticate, pool: pg.Pool, options: { keepAliveTimeout?: number; slowKeyCheckMs?: number } = {}): Promise<Served> {
  const served = { requests: [], routed: [], checks: 0 } as unknown as Served;
  const counted: Authenticate = async (request) => {
    served.checks += 1;
    // As a key the instance has not cached yet: its check takes a database round trip.
    if (options.slowKeyCheckMs) await new Promise((resolve) => setTimeout(resolve, options.slowKeyCheckMs));
    return authenticate(request);
  };
  const dataPlane = {
    routing: (req: http.IncomingMessage, res: http.ServerResponse) => {
      served.routed.push(req.url ?? "");
      harness.plane.app.routing(req, res);
    },
  };
  const dispatch = createDispatcher(dataPlane, (_req, res) => res.end("next"), createStatusFastPath({ authenticate: counted, pool }));
  served.server = http.createServer((req, res) => {
    served.requests.push(`${req.method} ${req.url}`);
    dispatch(req, res);
  });
  if (options.keepAliveTimeout !== undefined) served.server.keepAliveTimeout = options.keepAliveTimeout;
  // As dev mode's HMR websocket: node:http's `upgrade` event, which Next listens to.
  // It echoes what follows, so a test sees the upgraded connection read and written by its new owner.
  served.server.on("upgrade", (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    served.requests.push(`upgrade ${req.url}`);
    socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n");
    if (head.length > 0) socket.write(head);
    socket.on("data", (data: Buffer) => socket.write(data));
    socket.on("end", () => socket.end());
  });
  served.socketPath = installStatusSocketPath(served.server, { authenticate: counted, pool });
  await new Promise<void>((resolve) => served.server.listen(0, "127.0.0.1", resolve));
  served.port = (served.server.address() as AddressInfo).port;
  servers.push(served);
  return served;
}

/** One data plane per test file, with the socket path in front of the dispatcher as in lib/server/http-server.ts. */
export function setUpSocketPath(): void {
  beforeAll(async () => {
    harness.org = await seedOrg();
    harness.plane = await startPlane();
    const services = agentServicesOf(harness.plane.app)!;
    harness.main = await serve(services.auth.authenticate, services.pool);
  });

  afterAll(async () => {
    closeKillStatus(harness.plane.pool);
    for (const served of servers.splice(0)) {
      served.socketPath.closeAll();
      served.server.closeAllConnections();
      await new Promise((resolve) => served.server.close(resolve));
    }
    harness.plane.app.server.closeAllConnections();
    await harness.plane.close();
    await closeNotify();
  });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The poll as an SDK sends it; `fields` are added after the usual ones, `line` replaces the request line. */
export function poll(key: string, etag: string, fields: string[] = [], line = "GET /api/v1/agent/status HTTP/1.1"): string {
  return [line, `Host: 127.0.0.1:${harness.main.port}`, `Authorization: Bearer ${key}`, `If-None-Match: ${etag}`, ...fields, "", ""].join("\r\n");
}

export async function cachedAgent(lines: Parameters<typeof makeAgent>[1]["lines"] = []): Promise<TestAgent & { etag: string }> {
  const agent = await makeAgent(harness.org, { lines });
  // The first poll goes to the route, which loads the status into the instance's hub.
  const first = await call({ url: `http://127.0.0.1:${harness.main.port}` }, "GET", "/agent/status", { key: agent.key });
  expect(first.status).toBe(200);
  return { ...agent, etag: first.headers.get("etag")! };
}

/** What node:http and the route see of a connection while `run` goes on. */
export async function observed(served: Served, run: () => Promise<void>) {
  const [requests, routed, checks] = [served.requests.length, served.routed.length, served.checks];
  await run();
  return { requests: served.requests.slice(requests), routed: served.routed.slice(routed), checks: served.checks - checks };
}

export const withoutDate = (response: RawResponse) => response.head.replace(/\r\nDate: [^\r]+/, "\r\nDate: -");

export async function exchange(served: Served, ...writes: string[]): Promise<{ client: RawClient; answers: RawResponse[]; seen: Awaited<ReturnType<typeof observed>> }> {
  const client = await RawClient.open(served.port);
  let answers: RawResponse[] = [];
  const seen = await observed(served, async () => {
    for (const data of writes) await client.write(data);
    answers = await client.read(writes.length);
  });
  return { client, answers, seen };
}

