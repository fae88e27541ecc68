// The kill-switch poll's 304 answered by the one-port dispatcher ahead of Fastify
// (lib/kill/status-fast-path.ts), through real HTTP: which requests it answers (counted by wrapping
// the data plane's `routing`), that its 304 is the route's 304, and that everything else — a stale
// ETag, a revoked or bad key, a kill, a long-poll — is the route's answer, unchanged.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { db } from "@/lib/db/client";
import { closeNotify } from "@/lib/db/notify";
import { agentServicesOf } from "@/lib/http/dataplane/agent-data-plane";
import { UNAUTHORIZED_DETAIL } from "@/lib/http/dataplane/agent-auth";
import { killAgent } from "@/lib/kill/kill-agent";
import { createStatusFastPath } from "@/lib/kill/status-fast-path";
import { closeKillStatus } from "@/lib/kill/status-services";
import { createDispatcher } from "@/lib/server/http-server";
import { call, startPlane, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org } from "./decide-fixtures";

let plane: Plane;
let server: http.Server;
let base: { url: string };
let org: Org;
/** Requests that reached Fastify. */
let routed: string[] = [];

beforeAll(async () => {
  org = await seedOrg();
  plane = await startPlane();
  const services = agentServicesOf(plane.app)!;
  const fastPath = createStatusFastPath({ authenticate: services.auth.authenticate, pool: services.pool });
  const dataPlane = {
    routing: (req: http.IncomingMessage, res: http.ServerResponse) => {
      routed.push(req.url ?? "");
      plane.app.routing(req, res);
    },
  };
  const stubNext = (_req: http.IncomingMessage, res: http.ServerResponse) => res.end("next");
  server = http.createServer(createDispatcher(dataPlane, stubNext, fastPath));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});

afterAll(async () => {
  closeKillStatus(plane.pool);
  server.closeAllConnections();
  plane.app.server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await plane.close();
  await closeNotify();
});

beforeEach(() => {
  routed = [];
});

const poll = (key: string | null, headers: Record<string, string> = {}, query = "") => call(base, "GET", `/agent/status${query}`, { key, headers });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The headers an answer carries, with their values, but for the two that differ per request. */
const headerSet = (headers: Headers) => [...headers].filter(([name]) => name !== "date" && name !== "x-request-id").sort();

async function cachedAgent() {
  const agent = await makeAgent(org, { lines: [] });
  // The first poll goes to the route, which loads the status into the instance's hub.
  const first = await poll(agent.key);
  expect(first.status).toBe(200);
  return { ...agent, etag: first.headers.get("etag")! };
}

describe("the 304 ahead of Fastify", () => {
  it("answers a matching ETag itself, with the headers of the route's own 304 and no body", async () => {
    const agent = await cachedAgent();
    routed = [];
    for (const header of [agent.etag, `W/${agent.etag}`, `"1", ${agent.etag}`, "*"]) {
      const answer = await poll(agent.key, { "if-none-match": header });
      expect(answer.status, header).toBe(304);
      expect(answer.text).toBe("");
      expect(answer.headers.get("etag")).toBe(agent.etag);
      expect(answer.headers.get("cache-control")).toBe("no-store");
      expect(answer.headers.get("x-request-id")).toMatch(UUID);
    }
    expect(routed).toEqual([]);

    // ?wait=0 is the route's plain 304 (no hold): the same answer, header for header.
    const fast = await poll(agent.key, { "if-none-match": agent.etag, "x-request-id": "poll-42" });
    const route = await poll(agent.key, { "if-none-match": agent.etag, "x-request-id": "poll-43" }, "?wait=0");
    expect(routed).toEqual(["/api/v1/agent/status?wait=0"]);
    expect(route.status).toBe(304);
    expect(headerSet(fast.headers)).toEqual(headerSet(route.headers));
    expect(fast.headers.get("x-request-id")).toBe("poll-42");
    expect(route.headers.get("x-request-id")).toBe("poll-43");
    // A request id it must not echo is replaced, as the route replaces it.
    expect((await poll(agent.key, { "if-none-match": agent.etag, "x-request-id": "no spaces, please" })).headers.get("x-request-id")).toMatch(UUID);
  });

  it("leaves a status the hub does not hold yet to the route, which answers the 304", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const etag = (await call(plane, "GET", "/agent/status", { key: agent.key })).headers.get("etag")!;
    // A fresh hub entry only exists once the route ran on this instance: evict it by closing the hub.
    closeKillStatus(plane.pool);
    const answer = await poll(agent.key, { "if-none-match": etag });
    expect(answer.status).toBe(304);
    expect(routed).toEqual(["/api/v1/agent/status"]);
    expect((await poll(agent.key, { "if-none-match": etag })).status).toBe(304);
    expect(routed).toHaveLength(1);
  });
});

describe("everything else is the route's answer", () => {
  it("answers 200 with the body when the ETag does not match or none is sent", async () => {
    const agent = await cachedAgent();
    routed = [];
    for (const headers of [{ "if-none-match": '"0"' }, {}] as Array<Record<string, string>>) {
      const answer = await poll(agent.key, headers);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ state: "active" });
      expect(answer.headers.get("etag")).toBe(agent.etag);
    }
    expect(routed).toEqual(["/api/v1/agent/status", "/api/v1/agent/status"]);
  });

  it("refuses a revoked key with the 401 problem even when its ETag matches", async () => {
    const agent = await cachedAgent();
    routed = [];
    expect((await poll(agent.key, { "if-none-match": agent.etag })).status).toBe(304);
    expect(routed).toEqual([]);
    await db().$transaction((tx) => revokeCredential(tx, org.admin, org.actor, { agentId: agent.id, credentialId: agent.credentialId }));
    await expect.poll(async () => (await poll(agent.key, { "if-none-match": agent.etag })).status, { timeout: 1_000, interval: 20 }).toBe(401);
    const refused = await poll(agent.key, { "if-none-match": agent.etag });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="mandate"');
    expect(refused.body).toMatchObject({ code: "unauthorized", detail: UNAUTHORIZED_DETAIL, requestId: refused.headers.get("x-request-id") });
  });

  it("answers a bad or unknown key with the same 401 problem as without an ETag", async () => {
    const agent = await cachedAgent();
    const unknown = (await makeAgent(org, { lines: [] })).key.replace(/.$/, (last) => (last === "A" ? "B" : "A"));
    routed = [];
    const plain = await poll("not-a-key");
    for (const key of ["not-a-key", unknown, null]) {
      const answer = await poll(key, { "if-none-match": agent.etag });
      expect(answer.status, String(key)).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="mandate"');
      expect({ ...answer.body, requestId: null }).toEqual({ ...plain.body, requestId: null });
    }
    expect(routed.filter((url) => url === "/api/v1/agent/status")).toHaveLength(4);
  });

  it("answers the old ETag with 200 and the killed status once the agent is killed", async () => {
    const agent = await cachedAgent();
    expect((await poll(agent.key, { "if-none-match": agent.etag })).status).toBe(304);
    await killAgent(org.admin, org.actor, { agentId: agent.id, mode: "graceful", reason: "Fast path check" });
    await expect.poll(async () => (await poll(agent.key, { "if-none-match": agent.etag })).status, { timeout: 1_000, interval: 20 }).toBe(200);
    const answer = await poll(agent.key, { "if-none-match": agent.etag });
    expect(answer.body).toMatchObject({ state: "killed", mode: "graceful", reason: "Fast path check" });
    const etag = answer.headers.get("etag")!;
    expect(etag).not.toBe(agent.etag);
    routed = [];
    // The new ETag is served ahead of Fastify again.
    expect((await poll(agent.key, { "if-none-match": etag })).status).toBe(304);
    expect(routed).toEqual([]);
  });

  it("leaves ?wait= to the route: it holds the request and answers the change", async () => {
    const agent = await cachedAgent();
    routed = [];
    const waiting = poll(agent.key, { "if-none-match": agent.etag }, "?wait=10");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await killAgent(org.admin, org.actor, { agentId: agent.id, mode: "graceful", reason: "Long-poll check" });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: "killed", reason: "Long-poll check" });
    expect(routed).toEqual(["/api/v1/agent/status?wait=10"]);
    const malformed = await poll(agent.key, { "if-none-match": answer.headers.get("etag")! }, "?wait=abc");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: "validation_failed" });
  });
});
