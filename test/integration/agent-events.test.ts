// GET /api/v1/agent/events through real HTTP: the current status at once, an event per change
// (kill, fleet stop) on every instance, Last-Event-ID resume, heartbeats, a stream cut once its key
// is revoked, the per-agent cap, cleanup on close — and the SDK's own kill watcher on the stream.
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeNotify } from "@/lib/db/notify";
import { buildAgentDataPlane } from "@/lib/http/dataplane/agent-data-plane";
import { eventsRoute } from "@/lib/http/dataplane/routes/agent-events";
import { statusRoute } from "@/lib/http/dataplane/routes/agent-status";
import { killAgent } from "@/lib/kill/kill-agent";
import { closeKillStatus, killStatusFor, type KillStatusOptions } from "@/lib/kill/status-services";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";
import { KilledError, Mandate } from "@/sdk/src/index";
import { SseParser, type SseMessage } from "@/sdk/src/sse";
import { call, sleep, startPlane, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;
const extra: Array<{ pool: pg.Pool; app: ReturnType<typeof buildAgentDataPlane> }> = [];

beforeAll(async () => {
  org = await seedOrg();
  a = await startPlane();
  b = await startPlane({ ownListener: true });
});

afterAll(async () => {
  for (const plane of [a, b, ...extra]) {
    closeKillStatus(plane.pool);
    plane.app.server.closeAllConnections();
  }
  await Promise.all([a.close(), b.close(), ...extra.map(async (plane) => (await plane.app.close(), await plane.pool.end()))]);
  await closeNotify();
});

/** A data plane serving only the kill-switch routes, with its own status options (short heartbeats, a low cap). */
async function startStatusPlane(options: KillStatusOptions): Promise<{ url: string; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const app = buildAgentDataPlane({ pool, logger: false, routes: [statusRoute(options), eventsRoute(options)] });
  await app.listen({ port: 0, host: "127.0.0.1" });
  extra.push({ pool, app });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, pool };
}

interface Stream {
  status: number;
  headers: Headers;
  events: SseMessage[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  next(predicate: (event: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

async function openStream(plane: { url: string }, key: string | null, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${plane.url}/api/v1/agent/events`, {
    headers: { accept: "text/event-stream", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    signal: controller.signal,
  });
  const events: SseMessage[] = [];
  const comments: string[] = [];
  const parser = new SseParser({ message: (message) => events.push(message), comment: (text) => comments.push(text) });
  const ended = (async () => {
    if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended,
    async next(predicate, timeoutMs = 1_000) {
      const started = performance.now();
      while (performance.now() - started < timeoutMs) {
        const found = events.find(predicate);
        if (found) return found;
        await sleep(5);
      }
      throw new Error(`No matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
    },
    close: () => controller.abort(),
  };
}

const data = (event: SseMessage) => JSON.parse(event.data) as Record<string, unknown>;
const kill = (agentId: string, mode: "graceful" | "forced", reason?: string) => killAgent(org.admin, org.actor, { agentId, mode, reason });

describe("the event stream", () => {
  it("sends the current status at once, then an event for a kill on every instance", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const streams = [await openStream(a, agent.key), await openStream(b, agent.key)];
    try {
      for (const stream of streams) {
        expect(stream.status).toBe(200);
        expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
        expect(stream.headers.get("cache-control")).toBe("no-store");
        expect(stream.headers.get("x-request-id")).toBeTruthy();
        const first = await stream.next(() => true, 500);
        expect(first.event).toBe("status");
        expect(data(first)).toMatchObject({ state: "active", version: Number(first.lastEventId) });
      }
      const version = Number(streams[0]!.events[0]!.lastEventId);
      await kill(agent.id, "graceful", "Wrong customer");
      const answeredAt = performance.now();
      for (const stream of streams) {
        const event = await stream.next((message) => data(message).state === "killed");
        expect(performance.now() - answeredAt).toBeLessThan(1_000);
        expect(event.lastEventId).toBe(String(version + 1));
        expect(data(event)).toMatchObject({ state: "killed", mode: "graceful", reason: "Wrong customer", version: version + 1 });
        expect(stream.events).toHaveLength(2);
      }
      // A graceful kill keeps the key: the killed agent can still open the stream and hear its state.
      const again = await openStream(b, agent.key);
      streams.push(again);
      expect(again.status).toBe(200);
      expect(data(await again.next(() => true, 500))).toMatchObject({ state: "killed", mode: "graceful" });
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("resumes with Last-Event-ID: nothing while it is current, the current status when it is not", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const version = Number((await call(a, "GET", "/agent/status", { key: agent.key })).body.version);
    const current = await openStream(b, agent.key, { "last-event-id": String(version) });
    const stale = await openStream(a, agent.key, { "last-event-id": String(version - 1) });
    try {
      expect(current.status).toBe(200);
      expect(data(await stale.next(() => true, 500))).toMatchObject({ state: "active", version });
      await sleep(400);
      expect(current.events).toHaveLength(0);
      await kill(agent.id, "graceful");
      const event = await current.next(() => true);
      expect(event.lastEventId).toBe(String(version + 1));
      expect(data(event).state).toBe("killed");
    } finally {
      current.close();
      stale.close();
    }
  });

  it("tells a stop-all to the streams of every agent, and the resume after it", async () => {
    const agents = [await makeAgent(org, { lines: [] }), await makeAgent(org, { lines: [] })];
    const streams = [await openStream(a, agents[0]!.key), await openStream(b, agents[1]!.key), await openStream(b, agents[0]!.key)];
    try {
      for (const stream of streams) await stream.next(() => true, 500);
      await stopAll(org.admin, org.actor, { mode: "graceful", reason: "Drill for the fleet" });
      try {
        for (const stream of streams) {
          expect(data(await stream.next((message) => data(message).state === "killed"))).toMatchObject({ mode: "graceful", scope: "fleet", reason: "Drill for the fleet" });
        }
      } finally {
        await resumeAll(org.admin, org.actor, { reason: "Fleet drill over" });
      }
      for (const stream of streams) {
        await expect.poll(() => stream.events.length, { timeout: 1_000 }).toBe(3);
        expect(data(stream.events[2]!).state).toBe("active");
        expect(Number(stream.events[2]!.lastEventId)).toBe(Number(stream.events[0]!.lastEventId) + 2);
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("says a forced kill, then hangs up on the revoked key, whose reconnection is refused", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const stream = await openStream(b, agent.key);
    try {
      await stream.next(() => true, 500);
      await kill(agent.id, "forced", "Leaked key");
      expect(data(await stream.next((message) => data(message).state === "killed"))).toMatchObject({ mode: "forced", reason: "Leaked key" });
      const hungUp = await Promise.race([stream.ended.then(() => true), sleep(2_000).then(() => false)]);
      expect(hungUp).toBe(true);
      const again = await openStream(b, agent.key);
      expect(again.status).toBe(401);
      expect(again.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    } finally {
      stream.close();
    }
  });

  it("refuses a missing key with a problem document, not a stream", async () => {
    const stream = await openStream(a, null);
    expect(stream.status).toBe(401);
    expect(stream.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("writes heartbeat comments while nothing changes, and forgets a stream once the client goes", async () => {
    const plane = await startStatusPlane({ heartbeatMs: 100 });
    const agent = await makeAgent(org, { lines: [] });
    const stream = await openStream(plane, agent.key);
    const { hub, streams } = killStatusFor(plane.pool);
    await stream.next(() => true, 500);
    await expect.poll(() => stream.comments.filter((text) => text === "heartbeat").length, { timeout: 2_000 }).toBeGreaterThanOrEqual(3);
    expect(stream.events).toHaveLength(1);
    expect(streams.size()).toBe(1);
    expect(hub.listenerCount(agent.id)).toBe(1);
    stream.close();
    await expect.poll(() => streams.size(), { timeout: 2_000 }).toBe(0);
    expect(hub.listenerCount(agent.id)).toBe(0);
  });

  it("caps the streams one agent may hold open on an instance (429), counting long-polls too", async () => {
    const plane = await startStatusPlane({ maxListenersPerAgent: 2 });
    const agent = await makeAgent(org, { lines: [] });
    const held = [await openStream(plane, agent.key), await openStream(plane, agent.key)];
    try {
      const third = await openStream(plane, agent.key);
      expect(third.status).toBe(429);
      expect(third.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const etag = (await call(plane, "GET", "/agent/status", { key: agent.key })).headers.get("etag")!;
      expect((await call(plane, "GET", "/agent/status?wait=5", { key: agent.key, headers: { "if-none-match": etag } })).status).toBe(429);
    } finally {
      for (const stream of held) stream.close();
    }
    const other = await makeAgent(org, { lines: [] });
    const fine = await openStream(plane, other.key);
    expect(fine.status).toBe(200);
    fine.close();
  });
});

describe("the SDK's kill watcher on the real stream", () => {
  it("holds the stream and aborts the agent's signal within a second of a forced kill", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const mandate = new Mandate({ url: b.url, key: agent.key });
    const watcher = mandate.watch();
    try {
      expect((await watcher.ready).state).toBe("active");
      expect(watcher.mode).toBe("sse");
      const aborted = new Promise<number>((resolve) => watcher.signal.addEventListener("abort", () => resolve(performance.now())));
      await kill(agent.id, "forced", "Stop now");
      const answeredAt = performance.now();
      // From the kill's answer to the agent's signal (it may even come first).
      const took = (await aborted) - answeredAt;
      expect(took).toBeLessThan(1_000);
      const reason = watcher.signal.reason as KilledError;
      expect(reason).toBeInstanceOf(KilledError);
      expect(reason).toMatchObject({ state: "killed", mode: "forced", reason: "Stop now" });
    } finally {
      watcher.stop();
    }
  });
});
