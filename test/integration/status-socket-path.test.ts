// The kill-switch poll's 304 at the connection level (lib/server/status-socket-path.ts), through
// real TCP in front of the one-port dispatcher, the request-level fast path and the data plane:
// which requests it answers itself (node:http never sees them), that its bytes are node:http's,
// and that everything else — refused keys, stale ETags, pipelining, split writes, other methods,
// versions and forms, Connection: close — reaches node:http on the same connection and gets the
// answer it always got. Also its idle timeout, half-close and server close.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { db } from "@/lib/db/client";
import { closeNotify } from "@/lib/db/notify";
import { agentServicesOf } from "@/lib/http/dataplane/agent-data-plane";
import { UNAUTHORIZED_DETAIL } from "@/lib/http/dataplane/agent-auth";
import type { Authenticate } from "@/lib/http/dataplane/define-route";
import { killAgent } from "@/lib/kill/kill-agent";
import { createStatusFastPath } from "@/lib/kill/status-fast-path";
import { closeKillStatus } from "@/lib/kill/status-services";
import { createDispatcher } from "@/lib/server/http-server";
import { installStatusSocketPath, type StatusSocketPath } from "@/lib/server/status-socket-path";
import { ask, call, startPlane, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org, type TestAgent } from "./decide-fixtures";
import { RawClient, type RawResponse } from "./raw-http-client";

interface Served {
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

let plane: Plane;
let org: Org;
let main: Served;
const servers: Served[] = [];

async function serve(authenticate: Authenticate, pool: pg.Pool, options: { keepAliveTimeout?: number; slowKeyCheckMs?: number } = {}): Promise<Served> {
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
      plane.app.routing(req, res);
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

beforeAll(async () => {
  org = await seedOrg();
  plane = await startPlane();
  const services = agentServicesOf(plane.app)!;
  main = await serve(services.auth.authenticate, services.pool);
});

afterAll(async () => {
  closeKillStatus(plane.pool);
  for (const served of servers) {
    served.socketPath.closeAll();
    served.server.closeAllConnections();
    await new Promise((resolve) => served.server.close(resolve));
  }
  plane.app.server.closeAllConnections();
  await plane.close();
  await closeNotify();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The poll as an SDK sends it; `fields` are added after the usual ones, `line` replaces the request line. */
function poll(key: string, etag: string, fields: string[] = [], line = "GET /api/v1/agent/status HTTP/1.1"): string {
  return [line, `Host: 127.0.0.1:${main.port}`, `Authorization: Bearer ${key}`, `If-None-Match: ${etag}`, ...fields, "", ""].join("\r\n");
}

async function cachedAgent(lines: Parameters<typeof makeAgent>[1]["lines"] = []): Promise<TestAgent & { etag: string }> {
  const agent = await makeAgent(org, { lines });
  // The first poll goes to the route, which loads the status into the instance's hub.
  const first = await call({ url: `http://127.0.0.1:${main.port}` }, "GET", "/agent/status", { key: agent.key });
  expect(first.status).toBe(200);
  return { ...agent, etag: first.headers.get("etag")! };
}

/** What node:http and the route see of a connection while `run` goes on. */
async function observed(served: Served, run: () => Promise<void>) {
  const [requests, routed, checks] = [served.requests.length, served.routed.length, served.checks];
  await run();
  return { requests: served.requests.slice(requests), routed: served.routed.slice(routed), checks: served.checks - checks };
}

const withoutDate = (response: RawResponse) => response.head.replace(/\r\nDate: [^\r]+/, "\r\nDate: -");

async function exchange(served: Served, ...writes: string[]): Promise<{ client: RawClient; answers: RawResponse[]; seen: Awaited<ReturnType<typeof observed>> }> {
  const client = await RawClient.open(served.port);
  let answers: RawResponse[] = [];
  const seen = await observed(served, async () => {
    for (const data of writes) await client.write(data);
    answers = await client.read(writes.length);
  });
  return { client, answers, seen };
}

describe("answered on the connection, ahead of node:http", () => {
  it("writes the 304 itself, byte for byte what node:http writes for the same poll", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(main.port);
    const fast = await observed(main, async () => {
      await client.write(poll(agent.key, agent.etag, ["X-Request-Id: poll-42"]));
      await client.read(1);
    });
    expect(fast).toEqual({ requests: [], routed: [], checks: 1 });
    // The same poll with If-None-Match sent twice is node:http's (it joins the two), on the same connection.
    const slow = await observed(main, async () => {
      await client.write(poll(agent.key, agent.etag, ["X-Request-Id: poll-42", `If-None-Match: ${agent.etag}`]));
      await client.read(2);
    });
    expect(slow).toEqual({ requests: ["GET /api/v1/agent/status"], routed: [], checks: 1 });
    const [ours, nodes] = client.responses as [RawResponse, RawResponse];
    expect(ours.status).toBe(304);
    expect(ours.body).toBe("");
    expect(withoutDate(ours)).toBe(withoutDate(nodes));
    expect(ours.headers.get("x-request-id")).toBe("poll-42");
    expect(ours.headers.get("cache-control")).toBe("no-store");
    expect(ours.headers.get("etag")).toBe(agent.etag);
    expect(ours.headers.get("keep-alive")).toBe(`timeout=${main.server.keepAliveTimeout / 1000}`);
    expect(new Date(ours.headers.get("date")!).getTime()).toBeGreaterThan(Date.now() - 5_000);

    // And the fields of the route's own 304 (?wait=0 takes the route), values too but for the request id and date.
    await client.write(poll(agent.key, agent.etag, ["X-Request-Id: poll-43"], "GET /api/v1/agent/status?wait=0 HTTP/1.1"));
    const route = (await client.read(3))[2]!;
    expect(main.routed.at(-1)).toBe("/api/v1/agent/status?wait=0");
    const fields = (response: RawResponse) => [...response.headers].filter(([name]) => name !== "date" && name !== "x-request-id").sort();
    expect(fields(ours)).toEqual(fields(route));
    client.destroy();
  });

  it("answers poll after poll on one connection, each with its own request id, checking the key each time", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(main.port);
    const seen = await observed(main, async () => {
      for (let index = 0; index < 20; index += 1) {
        await client.write(poll(agent.key, agent.etag, index % 2 ? [`X-Request-Id: poll-${index}`] : ["X-Request-Id: not valid!"]));
        await client.read(index + 1);
      }
    });
    expect(seen).toEqual({ requests: [], routed: [], checks: 20 });
    expect(client.responses.map((response) => response.status)).toEqual(Array(20).fill(304));
    client.responses.forEach((response, index) => expect(response.headers.get("x-request-id")).toMatch(index % 2 ? `poll-${index}` : UUID));
    expect(main.socketPath.rawSockets).toBeGreaterThanOrEqual(1);
    client.destroy();
  });

  it("a client that sends its next request before the answer: each is answered in turn, in order", async () => {
    const services = agentServicesOf(plane.app)!;
    const served = await serve(services.auth.authenticate, services.pool, { slowKeyCheckMs: 60 });
    const agent = await cachedAgent([{ action: "t.doc.read" }]);
    const body = JSON.stringify(ask("t.doc.read", { resource: "docs/1" }));
    const decide = ["POST /api/v1/decisions HTTP/1.1", "Host: x", `Authorization: Bearer ${agent.key}`, "Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n");
    const client = await RawClient.open(served.port);
    const seen = await observed(served, async () => {
      // Separate reads, each while the poll before it is still being checked.
      for (const [index, request] of [poll(agent.key, agent.etag, ["X-Request-Id: one"]), poll(agent.key, agent.etag, ["X-Request-Id: two"]), decide].entries()) {
        if (index > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        await client.write(request);
      }
      await client.read(3);
    });
    expect(client.responses.map((response) => [response.status, response.headers.get("x-request-id")])).toEqual([
      [304, "one"],
      [304, "two"],
      [200, expect.any(String)],
    ]);
    expect(JSON.parse(client.responses[2]!.body)).toMatchObject({ effect: "allow" });
    // Both polls on the connection; only the decision reached node:http.
    expect(seen.requests).toEqual(["POST /api/v1/decisions"]);
    client.destroy();
  });

  it("a status the hub does not hold (any more): loaded as the route loads it, and the connection stays here", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(main.port);
    const seen = await observed(main, async () => {
      for (let index = 0; index < 3; index += 1) {
        // Entries nobody listens to expire within seconds; dropping the hub is the same miss, now.
        closeKillStatus(plane.pool);
        await client.write(poll(agent.key, agent.etag));
        expect((await client.read(index + 1))[index]!.status).toBe(304);
      }
    });
    expect(seen).toEqual({ requests: [], routed: [], checks: 3 });
    expect(main.socketPath.rawSockets).toBeGreaterThanOrEqual(1);
    // Loaded and not matching: the route's 200, on node:http from then on.
    closeKillStatus(plane.pool);
    const stale = await observed(main, async () => {
      await client.write(poll(agent.key, '"0"'));
      expect((await client.read(4))[3]!.status).toBe(200);
    });
    expect(stale.routed).toEqual(["/api/v1/agent/status"]);
    client.destroy();
  });

  it("stops answering the old ETag as soon as a kill reaches the instance: the route answers 200, killed", async () => {
    const agent = await cachedAgent();
    expect((await exchange(main, poll(agent.key, agent.etag))).seen.requests).toEqual([]);
    await killAgent(org.admin, org.actor, { agentId: agent.id, mode: "graceful", reason: "Socket path check" });
    await expect.poll(async () => (await exchange(main, poll(agent.key, agent.etag))).answers[0]!.status, { timeout: 1_000, interval: 20 }).toBe(200);
    const { answers, seen } = await exchange(main, poll(agent.key, agent.etag));
    expect(seen.routed).toEqual(["/api/v1/agent/status"]);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ state: "killed", mode: "graceful", reason: "Socket path check" });
  });
});

describe("handed to node:http, which answers as before", () => {
  it("an ETag that does not match: the route's 200 and body; the connection is node:http's from then on", async () => {
    const agent = await cachedAgent();
    const { client, answers, seen } = await exchange(main, poll(agent.key, '"0"'));
    expect(answers[0]!.status).toBe(200);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ state: "active" });
    expect(answers[0]!.headers.get("etag")).toBe(agent.etag);
    // One key check: the request-level fast path and the route reuse the socket path's.
    expect(seen).toEqual({ requests: ["GET /api/v1/agent/status"], routed: ["/api/v1/agent/status"], checks: 1 });
    const next = await observed(main, async () => {
      await client.write(poll(agent.key, agent.etag));
      expect((await client.read(2))[1]!.status).toBe(304);
    });
    expect(next).toEqual({ requests: ["GET /api/v1/agent/status"], routed: [], checks: 1 });
    client.destroy();
  });

  it("a bad, unknown or revoked key: the route's 401 problem, after one key check, as without the socket path", async () => {
    const agent = await cachedAgent();
    const unknown = (await makeAgent(org, { lines: [] })).key.replace(/.$/, (last) => (last === "A" ? "B" : "A"));
    const plain = await call(plane, "GET", "/agent/status", { key: "not-a-key" });
    expect(plain.status).toBe(401);
    const refusedAs = async (key: string) => {
      const { answers, seen } = await exchange(main, poll(key, agent.etag));
      const answer = answers[0]!;
      expect(answer.status, key).toBe(401);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="mandate"');
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      expect(body).toMatchObject({ code: "unauthorized", detail: UNAUTHORIZED_DETAIL, requestId: answer.headers.get("x-request-id") });
      expect({ ...body, requestId: null }).toEqual({ ...plain.body, requestId: null });
      expect(seen).toEqual({ requests: ["GET /api/v1/agent/status"], routed: ["/api/v1/agent/status"], checks: 1 });
    };
    await refusedAs("not-a-key");
    await refusedAs(unknown);
    expect((await exchange(main, poll(agent.key, agent.etag))).seen.requests).toEqual([]);
    await db().$transaction((tx) => revokeCredential(tx, org.admin, org.actor, { agentId: agent.id, credentialId: agent.credentialId }));
    await expect.poll(async () => (await exchange(main, poll(agent.key, agent.etag))).answers[0]!.status, { timeout: 1_000, interval: 20 }).toBe(401);
    await refusedAs(agent.key);
  });

  it("two polls in one write (pipelined): node:http answers both, in order", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(main.port);
    const seen = await observed(main, async () => {
      await client.write(poll(agent.key, agent.etag, ["X-Request-Id: first"]) + poll(agent.key, '"0"', ["X-Request-Id: second"]));
      await client.read(2);
    });
    const [first, second] = client.responses;
    expect([first!.status, first!.headers.get("x-request-id")]).toEqual([304, "first"]);
    expect([second!.status, second!.headers.get("x-request-id")]).toEqual([200, "second"]);
    expect(seen.requests).toEqual(["GET /api/v1/agent/status", "GET /api/v1/agent/status"]);
    expect(seen.routed).toEqual(["/api/v1/agent/status"]);
    client.destroy();
  });

  it("a poll split across two writes: node:http reads it whole and answers it once", async () => {
    const agent = await cachedAgent();
    const whole = poll(agent.key, agent.etag, ["X-Request-Id: split"]);
    const client = await RawClient.open(main.port);
    const seen = await observed(main, async () => {
      await client.write(whole.slice(0, 40));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await client.write(whole.slice(40));
      const [answer] = await client.read(1);
      expect([answer!.status, answer!.headers.get("x-request-id")]).toEqual([304, "split"]);
    });
    expect(seen).toEqual({ requests: ["GET /api/v1/agent/status"], routed: [], checks: 1 });
    client.destroy();
  });

  it("a poll, then a decision, then a poll on one connection: each answered", async () => {
    const agent = await cachedAgent([{ action: "t.doc.read" }]);
    const body = JSON.stringify(ask("t.doc.read", { resource: "docs/1" }));
    const decide = [
      "POST /api/v1/decisions HTTP/1.1",
      `Host: 127.0.0.1:${main.port}`,
      `Authorization: Bearer ${agent.key}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "",
      body,
    ].join("\r\n");
    const client = await RawClient.open(main.port);
    const seen = await observed(main, async () => {
      await client.write(poll(agent.key, agent.etag));
      await client.read(1);
      await client.write(decide);
      await client.read(2);
      await client.write(poll(agent.key, agent.etag));
      await client.read(3);
    });
    const [first, decision, last] = client.responses;
    expect(first!.status).toBe(304);
    expect(decision!.status, decision!.body).toBe(200);
    expect(JSON.parse(decision!.body)).toMatchObject({ effect: "allow" });
    expect(last!.status).toBe(304);
    expect(seen.requests).toEqual(["POST /api/v1/decisions", "GET /api/v1/agent/status"]);
    expect(seen.routed).toEqual(["/api/v1/decisions"]);
    client.destroy();
  });

  it.each<[string, (key: string, etag: string) => string, string]>([
    ["HEAD", (key, etag) => poll(key, etag, [], "HEAD /api/v1/agent/status HTTP/1.1"), "HEAD /api/v1/agent/status"],
    ["absolute form", (key, etag) => poll(key, etag, [], "GET http://mandate.test/api/v1/agent/status HTTP/1.1"), "GET http://mandate.test/api/v1/agent/status"],
    ["two Authorization fields", (key, etag) => poll(key, etag, [`Authorization: Bearer ${key}`]), "GET /api/v1/agent/status"],
    ["a query string", (key, etag) => poll(key, etag, [], "GET /api/v1/agent/status?wait=0 HTTP/1.1"), "GET /api/v1/agent/status?wait=0"],
    ["Content-Length: 0", (key, etag) => poll(key, etag, ["Content-Length: 0"]), "GET /api/v1/agent/status"],
  ])("%s: node:http's, answered as without the socket path", async (_name, request, parsed) => {
    const agent = await cachedAgent();
    const { client, answers, seen } = await exchange(main, request(agent.key, agent.etag));
    expect(seen.requests).toEqual([parsed]);
    // The same bytes to a server without the socket path give the same status.
    const bare = http.createServer(main.server.listeners("request")[0] as http.RequestListener);
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    const reference = await RawClient.open((bare.address() as AddressInfo).port);
    await reference.write(request(agent.key, agent.etag));
    expect(answers[0]!.status).toBe((await reference.read(1))[0]!.status);
    for (const each of [client, reference]) each.destroy();
    bare.closeAllConnections();
    await new Promise((resolve) => bare.close(resolve));
  });

  it("an upgrade after a poll on the same connection reaches node:http's upgrade listeners (dev-mode HMR)", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(main.port);
    const seen = await observed(main, async () => {
      await client.write(poll(agent.key, agent.etag));
      await client.read(1);
      await client.write(["GET /_next/webpack-hmr HTTP/1.1", `Host: 127.0.0.1:${main.port}`, "Connection: Upgrade", "Upgrade: test", "", ""].join("\r\n"));
      await client.read(2);
    });
    expect(client.responses.map((response) => response.status)).toEqual([304, 101]);
    expect(seen.requests).toEqual(["upgrade /_next/webpack-hmr"]);
    // The upgraded connection is the listener's: it reads and answers what comes next.
    let echoed = "";
    client.socket.on("data", (data: Buffer) => (echoed += data.toString("latin1")));
    await client.write("ping over the upgraded connection");
    await expect.poll(() => echoed, { timeout: 1_000, interval: 20 }).toBe("ping over the upgraded connection");
    client.destroy();
  });

  it("HTTP/1.0 and Connection: close: node:http answers, then closes the connection", async () => {
    const agent = await cachedAgent();
    for (const request of [poll(agent.key, agent.etag, [], "GET /api/v1/agent/status HTTP/1.0"), poll(agent.key, agent.etag, ["Connection: close"])]) {
      const { client, answers, seen } = await exchange(main, request);
      expect(answers[0]!.status).toBe(304);
      expect(answers[0]!.headers.get("connection")).toBe("close");
      expect(seen.requests).toEqual(["GET /api/v1/agent/status"]);
      await client.waitClosed(1_000);
    }
  });
});

describe("idle connections, half-close and server close", () => {
  it("ends a connection idle past the keep-alive timeout, and hands one that never spoke to node:http", async () => {
    const services = agentServicesOf(plane.app)!;
    const served = await serve(services.auth.authenticate, services.pool, { keepAliveTimeout: 200 });
    const agent = await cachedAgent();
    const answered = await RawClient.open(served.port);
    await answered.write(poll(agent.key, agent.etag));
    expect((await answered.read(1))[0]!.headers.get("keep-alive")).toBe("timeout=0");
    const silent = await RawClient.open(served.port);
    await expect.poll(() => served.socketPath.rawSockets, { timeout: 1_000, interval: 20 }).toBe(2);
    // node:http's window: keepAliveTimeout plus its one second of slack.
    await answered.waitClosed(2_500);
    await expect.poll(() => served.socketPath.rawSockets, { timeout: 2_500, interval: 50 }).toBe(0);
    expect(silent.closed).toBe(false);
    const seen = await observed(served, async () => {
      await silent.write(poll(agent.key, agent.etag));
      expect((await silent.read(1))[0]!.status).toBe(304);
    });
    expect(seen.requests).toEqual(["GET /api/v1/agent/status"]);
    silent.destroy();
  });

  it("the client's half-close ends the connection", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(main.port);
    await client.write(poll(agent.key, agent.etag));
    await client.read(1);
    client.socket.end();
    await client.waitClosed(1_000);
  });

  it("close() ends idle connections, the socket path's and node:http's, and the server stops", async () => {
    const services = agentServicesOf(plane.app)!;
    const served = await serve(services.auth.authenticate, services.pool);
    const agent = await cachedAgent();
    const raw = await RawClient.open(served.port);
    await raw.write(poll(agent.key, agent.etag));
    await raw.read(1);
    const handedOver = await RawClient.open(served.port);
    await handedOver.write(poll(agent.key, '"0"'));
    expect((await handedOver.read(1))[0]!.status).toBe(200);
    expect(served.socketPath.rawSockets).toBe(1);
    const stopped = new Promise((resolve) => served.server.close(resolve));
    served.server.closeIdleConnections();
    served.socketPath.closeIdle();
    await Promise.all([raw.waitClosed(1_000), handedOver.waitClosed(1_000)]);
    await stopped;
    servers.splice(servers.indexOf(served), 1);
  });
});
