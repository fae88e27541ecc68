// What the connection-level poll path (lib/server/status-socket-path.ts) hands to node:http, which
// answers as it always did: stale ETags, refused keys, pipelining, split writes, mixed requests,
// upgrades, HTTP/1.0 and Connection: close — each on the same connection, through real TCP.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { db } from "@/lib/db/client";
import { UNAUTHORIZED_DETAIL } from "@/lib/http/dataplane/agent-auth";
import { ask, call } from "./decide-harness";
import { makeAgent } from "./decide-fixtures";
import { RawClient } from "./raw-http-client";
import { cachedAgent, exchange, harness, observed, poll, setUpSocketPath } from "./status-socket-harness";

setUpSocketPath();

describe("handed to node:http, which answers as before", () => {
  it("an ETag that does not match: the route's 200 and body; the connection is node:http's from then on", async () => {
    const agent = await cachedAgent();
    const { client, answers, seen } = await exchange(harness.main, poll(agent.key, '"0"'));
    expect(answers[0]!.status).toBe(200);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ state: "active" });
    expect(answers[0]!.headers.get("etag")).toBe(agent.etag);
    // One key check: the request-level fast path and the route reuse the socket path's.
    expect(seen).toEqual({ requests: ["GET /api/v1/agent/status"], routed: ["/api/v1/agent/status"], checks: 1 });
    const next = await observed(harness.main, async () => {
      await client.write(poll(agent.key, agent.etag));
      expect((await client.read(2))[1]!.status).toBe(304);
    });
    expect(next).toEqual({ requests: ["GET /api/v1/agent/status"], routed: [], checks: 1 });
    client.destroy();
  });

  it("a bad, unknown or revoked key: the route's 401 problem, after one key check, as without the socket path", async () => {
    const agent = await cachedAgent();
    const unknown = (await makeAgent(harness.org, { lines: [] })).key.replace(/.$/, (last) => (last === "A" ? "B" : "A"));
    const plain = await call(harness.plane, "GET", "/agent/status", { key: "not-a-key" });
    expect(plain.status).toBe(401);
    const refusedAs = async (key: string) => {
      const { answers, seen } = await exchange(harness.main, poll(key, agent.etag));
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
    expect((await exchange(harness.main, poll(agent.key, agent.etag))).seen.requests).toEqual([]);
    await db().$transaction((tx) => revokeCredential(tx, harness.org.admin, harness.org.actor, { agentId: agent.id, credentialId: agent.credentialId }));
    await expect.poll(async () => (await exchange(harness.main, poll(agent.key, agent.etag))).answers[0]!.status, { timeout: 1_000, interval: 20 }).toBe(401);
    await refusedAs(agent.key);
  });

  it("two polls in one write (pipelined): node:http answers both, in order", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(harness.main.port);
    const seen = await observed(harness.main, async () => {
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
    const client = await RawClient.open(harness.main.port);
    const seen = await observed(harness.main, async () => {
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
      `Host: 127.0.0.1:${harness.main.port}`,
      `Authorization: Bearer ${agent.key}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "",
      body,
    ].join("\r\n");
    const client = await RawClient.open(harness.main.port);
    const seen = await observed(harness.main, async () => {
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
    const { client, answers, seen } = await exchange(harness.main, request(agent.key, agent.etag));
    expect(seen.requests).toEqual([parsed]);
    // The same bytes to a server without the socket path give the same status.
    const bare = http.createServer(harness.main.server.listeners("request")[0] as http.RequestListener);
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
    const client = await RawClient.open(harness.main.port);
    const seen = await observed(harness.main, async () => {
      await client.write(poll(agent.key, agent.etag));
      await client.read(1);
      await client.write(["GET /_next/webpack-hmr HTTP/1.1", `Host: 127.0.0.1:${harness.main.port}`, "Connection: Upgrade", "Upgrade: test", "", ""].join("\r\n"));
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
      const { client, answers, seen } = await exchange(harness.main, request);
      expect(answers[0]!.status).toBe(304);
      expect(answers[0]!.headers.get("connection")).toBe("close");
      expect(seen.requests).toEqual(["GET /api/v1/agent/status"]);
      await client.waitClosed(1_000);
    }
  });
});

