// The kill switch across two data-plane instances on one database, each with its own pool,
// decision writer, caches and LISTEN connection (its status hub included), as two processes
// would have: a kill made through the console's use case reaches the long-polls and event streams
// held on both, and — the no-window property — under concurrent decision load split across both,
// no decision that started after the kill was answered is allowed.
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeNotify, createChangeListener, type ChangeListener } from "@/lib/db/notify";
import { createDecisionWriter, createWriterPool, type DecisionWriter } from "@/lib/decisions/group-commit";
import { buildAgentDataPlane } from "@/lib/http/dataplane/agent-data-plane";
import { routes } from "@/lib/http/dataplane/routes";
import { eventsRoute } from "@/lib/http/dataplane/routes/agent-events";
import { statusRoute } from "@/lib/http/dataplane/routes/agent-status";
import { killAgent } from "@/lib/kill/kill-agent";
import { closeKillStatus } from "@/lib/kill/status-services";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";
import { SseParser } from "@/sdk/src/sse";
import { ask, call, sleep, waitFor } from "./decide-harness";
import { makeAgent, seedOrg, type Org } from "./decide-fixtures";

interface Instance {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** An instance as its own process would be: everything it caches hears changes on its own LISTEN connection. */
async function startInstance(): Promise<Instance> {
  const url = process.env.DATABASE_URL!;
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on("error", () => {});
  const writer: DecisionWriter = createDecisionWriter({ pool: createWriterPool(url), ownsPool: true });
  const listener: ChangeListener = createChangeListener({ url, minBackoffMs: 50, maxBackoffMs: 200 });
  const own = { changes: listener };
  const list = [...routes.filter((route) => route.url !== "/agent/status" && route.url !== "/agent/events"), statusRoute(own), eventsRoute(own)];
  const app = buildAgentDataPlane({ pool, logger: false, writer, changes: listener, routes: list });
  await app.listen({ port: 0, host: "127.0.0.1" });
  await listener.ready();
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    pool,
    async close() {
      closeKillStatus(pool);
      app.server.closeAllConnections();
      await app.close();
      await writer.close();
      await listener.close();
      await pool.end();
    },
  };
}

let a: Instance;
let b: Instance;
let org: Org;

beforeAll(async () => {
  org = await seedOrg();
  [a, b] = await Promise.all([startInstance(), startInstance()]);
});

afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await closeNotify();
});

/** Resolves with the time (performance.now) at which the stream's first event after `after` events arrived. */
async function holdStream(instance: Instance, key: string, signal: AbortSignal): Promise<{ nth: (n: number) => Promise<{ at: number; data: Record<string, unknown> }> }> {
  const response = await fetch(`${instance.url}/api/v1/agent/events`, { headers: { authorization: `Bearer ${key}` }, signal });
  const seen: Array<{ at: number; data: Record<string, unknown> }> = [];
  const parser = new SseParser({ message: (message) => seen.push({ at: performance.now(), data: JSON.parse(message.data) as Record<string, unknown> }) });
  void (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
    }
  })();
  return {
    async nth(n) {
      while (seen.length < n) await sleep(2);
      return seen[n - 1]!;
    },
  };
}

describe("a kill reaches every instance", () => {
  it("tells the streams and long-polls held on both instances well within a second", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const controller = new AbortController();
    try {
      const streams = [await holdStream(a, agent.key, controller.signal), await holdStream(b, agent.key, controller.signal)];
      for (const stream of streams) expect((await stream.nth(1)).data.state).toBe("active");
      const etag = (await call(a, "GET", "/agent/status", { key: agent.key })).headers.get("etag")!;
      const polls = [a, b].map((instance) =>
        call(instance, "GET", "/agent/status?wait=20", { key: agent.key, headers: { "if-none-match": etag } }).then((answer) => ({ answer, at: performance.now() })),
      );
      await sleep(200);
      const killed = await killAgent(org.admin, org.actor, { agentId: agent.id, mode: "graceful", reason: "Two instances" });
      const answeredAt = performance.now();
      for (const stream of streams) {
        const event = await stream.nth(2);
        expect(event.data).toMatchObject({ state: "killed", mode: "graceful" });
        expect(event.at - answeredAt).toBeLessThan(1_000);
      }
      for (const { answer, at } of await Promise.all(polls)) {
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ state: "killed", mode: "graceful", reason: "Two instances" });
        expect(at - answeredAt).toBeLessThan(1_000);
      }
      expect(killed.changed).toBe(true);
    } finally {
      controller.abort();
    }
  });
});

interface Attempt {
  startedAt: number;
  status: number;
  effect: unknown;
  reason: unknown;
}

/** "200 allow allowed_by_list: 120, …" — what a failed expectation should show. */
const tally = (attempts: readonly Attempt[]) =>
  Object.entries(
    attempts.reduce<Record<string, number>>((counts, { status, effect, reason }) => {
      const label = `${status} ${String(effect)} ${String(reason)}`;
      counts[label] = (counts[label] ?? 0) + 1;
      return counts;
    }, {}),
  )
    .map(([label, count]) => `${label}: ${count}`)
    .join(", ");

/** `loops` concurrent decision loops, alternating between the instances, recording into `attempts` until `stop` resolves. */
async function decisionLoad(key: string, loops: number, attempts: Attempt[], stop: Promise<void>): Promise<void> {
  let running = true;
  void stop.then(() => (running = false));
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      const instance = loop % 2 === 0 ? a : b;
      while (running) {
        const startedAt = performance.now();
        const answer = await call(instance, "POST", "/decisions", { key, body: ask("t.doc.read") });
        attempts.push({ startedAt, status: answer.status, effect: answer.body.effect, reason: answer.body.reason ?? answer.body.code });
      }
    }),
  );
}

describe("no window after a kill (32 concurrent decision loops across both instances)", () => {
  const LOOPS = 32;

  async function underLoad(key: string, stopDecisions: () => Promise<unknown>) {
    let end!: () => void;
    const stopped = new Promise<void>((resolve) => (end = resolve));
    const attempts: Attempt[] = [];
    const load = decisionLoad(key, LOOPS, attempts, stopped);
    // Under way on both instances first: a good number of allows already answered.
    await waitFor(() => attempts.filter((attempt) => attempt.effect === "allow").length >= 50, 15_000);
    await stopDecisions();
    const answeredAt = performance.now();
    await sleep(1_500);
    end();
    await load;
    const before = attempts.filter((attempt) => attempt.startedAt < answeredAt);
    const after = attempts.filter((attempt) => attempt.startedAt > answeredAt);
    return { before, after };
  }

  it("allows nothing that started after a graceful kill of the agent was answered", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    const { before, after } = await underLoad(agent.key, () => killAgent(org.admin, org.actor, { agentId: agent.id, mode: "graceful", reason: "Under load" }));
    expect(before.filter((attempt) => attempt.effect === "allow").length, tally(before)).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(LOOPS);
    expect(after.filter((attempt) => attempt.effect === "allow"), tally(after)).toEqual([]);
    // A graceful kill keeps the key: the agent is told no, not "who are you".
    expect(after.every((attempt) => attempt.status === 200 && attempt.effect === "deny")).toBe(true);
  });

  it("allows nothing that started after a stop-all was answered", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    try {
      const { before, after } = await underLoad(agent.key, () => stopAll(org.admin, org.actor, { mode: "forced", reason: "Fleet under load" }));
      expect(before.filter((attempt) => attempt.effect === "allow").length, tally(before)).toBeGreaterThan(10);
      expect(after.length).toBeGreaterThan(LOOPS);
      expect(after.filter((attempt) => attempt.effect === "allow"), tally(after)).toEqual([]);
      expect(after.every((attempt) => attempt.status === 200)).toBe(true);
    } finally {
      await resumeAll(org.admin, org.actor, { reason: "Load test over" });
    }
  });
});
