// The kill-switch poll's 304 at the connection level (lib/server/status-socket-path.ts), through
// real TCP in front of the one-port dispatcher, the request-level fast path and the data plane:
// which requests it answers itself (node:http never sees them), that its bytes are node:http's,
// and that everything else — refused keys, stale ETags, pipelining, split writes, other methods,
// versions and forms, Connection: close — reaches node:http on the same connection and gets the
// answer it always got. Also its idle timeout, half-close and server close. What it hands to node:http: status-socket-handover.test.ts.
import { describe, expect, it } from "vitest";
import { agentServicesOf } from "@/lib/http/dataplane/agent-data-plane";
import { killAgent } from "@/lib/kill/kill-agent";
import { closeKillStatus } from "@/lib/kill/status-services";
import { ask } from "./decide-harness";
import { RawClient, type RawResponse } from "./raw-http-client";
import { UUID, cachedAgent, exchange, harness, observed, poll, serve, servers, setUpSocketPath, withoutDate } from "./status-socket-harness";

setUpSocketPath();

describe("answered on the connection, ahead of node:http", () => {
  it("writes the 304 itself, byte for byte what node:http writes for the same poll", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(harness.main.port);
    const fast = await observed(harness.main, async () => {
      await client.write(poll(agent.key, agent.etag, ["X-Request-Id: poll-42"]));
      await client.read(1);
    });
    expect(fast).toEqual({ requests: [], routed: [], checks: 1 });
    // The same poll with If-None-Match sent twice is node:http's (it joins the two), on the same connection.
    const slow = await observed(harness.main, async () => {
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
    expect(ours.headers.get("keep-alive")).toBe(`timeout=${harness.main.server.keepAliveTimeout / 1000}`);
    expect(new Date(ours.headers.get("date")!).getTime()).toBeGreaterThan(Date.now() - 5_000);

    // And the fields of the route's own 304 (?wait=0 takes the route), values too but for the request id and date.
    await client.write(poll(agent.key, agent.etag, ["X-Request-Id: poll-43"], "GET /api/v1/agent/status?wait=0 HTTP/1.1"));
    const route = (await client.read(3))[2]!;
    expect(harness.main.routed.at(-1)).toBe("/api/v1/agent/status?wait=0");
    const fields = (response: RawResponse) => [...response.headers].filter(([name]) => name !== "date" && name !== "x-request-id").sort();
    expect(fields(ours)).toEqual(fields(route));
    client.destroy();
  });

  it("answers poll after poll on one connection, each with its own request id, checking the key each time", async () => {
    const agent = await cachedAgent();
    const client = await RawClient.open(harness.main.port);
    const seen = await observed(harness.main, async () => {
      for (let index = 0; index < 20; index += 1) {
        await client.write(poll(agent.key, agent.etag, index % 2 ? [`X-Request-Id: poll-${index}`] : ["X-Request-Id: not valid!"]));
        await client.read(index + 1);
      }
    });
    expect(seen).toEqual({ requests: [], routed: [], checks: 20 });
    expect(client.responses.map((response) => response.status)).toEqual(Array(20).fill(304));
    client.responses.forEach((response, index) => expect(response.headers.get("x-request-id")).toMatch(index % 2 ? `poll-${index}` : UUID));
    expect(harness.main.socketPath.rawSockets).toBeGreaterThanOrEqual(1);
    client.destroy();
  });

  it("a client that sends its next request before the answer: each is answered in turn, in order", async () => {
    const services = agentServicesOf(harness.plane.app)!;
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
    const client = await RawClient.open(harness.main.port);
    const seen = await observed(harness.main, async () => {
      for (let index = 0; index < 3; index += 1) {
        // Entries nobody listens to expire within seconds; dropping the hub is the same miss, now.
        closeKillStatus(harness.plane.pool);
        await client.write(poll(agent.key, agent.etag));
        expect((await client.read(index + 1))[index]!.status).toBe(304);
      }
    });
    expect(seen).toEqual({ requests: [], routed: [], checks: 3 });
    expect(harness.main.socketPath.rawSockets).toBeGreaterThanOrEqual(1);
    // Loaded and not matching: the route's 200, on node:http from then on.
    closeKillStatus(harness.plane.pool);
    const stale = await observed(harness.main, async () => {
      await client.write(poll(agent.key, '"0"'));
      expect((await client.read(4))[3]!.status).toBe(200);
    });
    expect(stale.routed).toEqual(["/api/v1/agent/status"]);
    client.destroy();
  });

  it("stops answering the old ETag as soon as a kill reaches the instance: the route answers 200, killed", async () => {
    const agent = await cachedAgent();
    expect((await exchange(harness.main, poll(agent.key, agent.etag))).seen.requests).toEqual([]);
    await killAgent(harness.org.admin, harness.org.actor, { agentId: agent.id, mode: "graceful", reason: "Socket path check" });
    await expect.poll(async () => (await exchange(harness.main, poll(agent.key, agent.etag))).answers[0]!.status, { timeout: 1_000, interval: 20 }).toBe(200);
    const { answers, seen } = await exchange(harness.main, poll(agent.key, agent.etag));
    expect(seen.routed).toEqual(["/api/v1/agent/status"]);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ state: "killed", mode: "graceful", reason: "Socket path check" });
  });
});

describe("idle connections, half-close and server close", () => {
  it("ends a connection idle past the keep-alive timeout, and hands one that never spoke to node:http", async () => {
    const services = agentServicesOf(harness.plane.app)!;
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
    const client = await RawClient.open(harness.main.port);
    await client.write(poll(agent.key, agent.etag));
    await client.read(1);
    client.socket.end();
    await client.waitClosed(1_000);
  });

  it("close() ends idle connections, the socket path's and node:http's, and the server stops", async () => {
    const services = agentServicesOf(harness.plane.app)!;
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
