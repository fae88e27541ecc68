import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { AuthenticationError, KilledError, LeaseExpiredError, Mandate, type KillWatcher, type MandateEvent, type WatchMode } from "../src/index.ts";
import { KEY, closedPortUrl, delay, hold, problem, startFake, type Fake, type Handler } from "./fake-mandate.ts";
import { StatusBoard } from "./status-board.ts";

const fakes: Fake[] = [];
const watchers: KillWatcher[] = [];
after(async () => {
  for (const watcher of watchers) watcher.stop();
  await Promise.all(fakes.map((fake) => fake.close()));
});

async function setup(routes: Record<string, Handler>, url?: string) {
  const server = await startFake(routes);
  fakes.push(server);
  const events: MandateEvent[] = [];
  const mandate = new Mandate({ url: url ?? server.url, key: KEY, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 100 }, onEvent: (event) => events.push(event) });
  const watch = (options: Parameters<Mandate["watch"]>[0]) => {
    const watcher = mandate.watch(options);
    watchers.push(watcher);
    return watcher;
  };
  return { server, events, watch };
}

/** Milliseconds from now until the signal aborts (rejects after `limitMs`). */
function abortedWithin(signal: AbortSignal, limitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`not aborted within ${limitMs} ms`)), limitMs);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

describe("kill watcher over SSE", () => {
  test("a forced kill pushed on the stream aborts the signal in well under a second", async () => {
    const board = new StatusBoard();
    const { server, watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute({ heartbeatMs: 100 }) });
    const watcher = watch({});
    assert.equal((await watcher.ready).state, "active");
    assert.equal(watcher.mode, "sse");
    const aborted = abortedWithin(watcher.signal, 1_000);
    board.set({ state: "killed", mode: "forced", reason: "Runaway refunds" });
    const ms = await aborted;
    assert.ok(ms < 1_000, `${ms} ms`);
    const reason = watcher.signal.reason as KilledError;
    assert.ok(reason instanceof KilledError);
    assert.equal(reason.state, "killed");
    assert.equal(reason.mode, "forced");
    assert.equal(reason.reason, "Runaway refunds");
    assert.equal(reason.graceful, false);
    assert.equal(watcher.state, "killed");
    assert.equal(server.hits("GET /api/v1/agent/events")[0]?.headers.accept, "text/event-stream");
  });

  test("graceful mode says current work may finish", async () => {
    const board = new StatusBoard();
    const { watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute() });
    const watcher = watch({});
    await watcher.ready;
    board.set({ state: "suspended", mode: "graceful", reason: "Denial burst" });
    await abortedWithin(watcher.signal, 1_000);
    const reason = watcher.signal.reason as KilledError;
    assert.equal(reason.mode, "graceful");
    assert.equal(reason.state, "suspended");
    assert.ok(reason.graceful);
    assert.match(reason.message, /current work may finish/i);
  });

  test("an agent that is already retired stops at once", async () => {
    const board = new StatusBoard();
    board.set({ state: "retired" });
    const { watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute() });
    const watcher = watch({});
    await abortedWithin(watcher.signal, 1_000);
    assert.equal((watcher.signal.reason as KilledError).state, "retired");
  });

  test("after the stream drops it reconnects with Last-Event-ID and still hears the kill", async () => {
    const board = new StatusBoard();
    const { server, watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute() });
    const watcher = watch({});
    await watcher.ready;
    board.dropStreams();
    while (server.hits("GET /api/v1/agent/events").length < 2) await delay(20);
    assert.equal(server.hits("GET /api/v1/agent/events")[1]?.headers["last-event-id"], "1");
    await delay(50);
    board.set({ state: "killed", mode: "forced" });
    await abortedWithin(watcher.signal, 1_000);
  });

  test("a kill drill on the stream is acknowledged once, at once", async () => {
    const board = new StatusBoard();
    const { server, events, watch } = await setup({
      "GET /api/v1/agent/events": board.eventsRoute(),
      "POST /api/v1/agent/drills/:id/ack": (_request, response) => {
        response.writeHead(204);
        response.end();
      },
    });
    const watcher = watch({});
    await watcher.ready;
    const drill = { id: "drill-1", startedAt: new Date().toISOString() };
    board.set({ state: "active", drill });
    board.set({ state: "active", drill });
    while (!events.some((event) => event.type === "drill.acknowledged")) await delay(10);
    await delay(50);
    const acks = server.hits("POST /api/v1/agent/drills/:id/ack");
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.path, "/api/v1/agent/drills/drill-1/ack");
    assert.ok(acks[0]!.at - board.pushedAt[0]! < 500, "acknowledged within half a second of the push");
    assert.equal(watcher.signal.aborted, false, "a drill does not stop the agent");
  });
});

describe("kill watcher fallbacks", () => {
  test("SSE 404 → long-poll with If-None-Match, which answers the kill at once", async () => {
    const board = new StatusBoard();
    const { server, events, watch } = await setup({ "GET /api/v1/agent/status": board.statusRoute });
    const watcher = watch({});
    await watcher.ready;
    assert.equal(watcher.mode, "long-poll");
    assert.ok(events.some((event) => event.type === "watch.mode" && event.mode === "long-poll"));
    while (server.hits("GET /api/v1/agent/status").length < 2) await delay(10);
    const held = server.hits("GET /api/v1/agent/status")[1];
    assert.equal(held?.headers["if-none-match"], board.etag);
    assert.equal(held?.query.get("wait"), "25");
    const aborted = abortedWithin(watcher.signal, 1_000);
    board.set({ state: "killed", mode: "graceful" });
    assert.ok((await aborted) < 1_000);
    assert.equal((watcher.signal.reason as KilledError).mode, "graceful");
  });

  test("plain polls get 304 with the ETag, keep the lease alive, and catch the kill", async () => {
    const board = new StatusBoard();
    let notModified = 0;
    const { watch } = await setup({
      "GET /api/v1/agent/status": async (request, response) => {
        if (request.headers["if-none-match"] === board.etag) notModified += 1;
        await board.statusRoute(request, response, {});
      },
    });
    const watcher = watch({ mode: "poll", pollIntervalMs: 50, leaseMs: 300 });
    await watcher.ready;
    await delay(600); // twice the lease: only the 304 answers keep it alive
    assert.equal(watcher.signal.aborted, false, String(watcher.signal.reason));
    assert.ok(notModified >= 5, `${notModified} answers of 304`);
    board.set({ state: "killed", mode: "forced" });
    await abortedWithin(watcher.signal, 500);
    assert.ok(watcher.signal.reason instanceof KilledError);
  });

  test("long-poll refused with 400 falls back to plain polling", async () => {
    const board = new StatusBoard();
    const { watch } = await setup({
      "GET /api/v1/agent/status": async (request, response) => {
        if (request.query.has("wait")) return problem(response, 400, "validation_failed", "wait is not supported");
        await board.statusRoute(request, response, {});
      },
    });
    const watcher = watch({ mode: "long-poll", pollIntervalMs: 50 });
    assert.equal((await watcher.ready).state, "active");
    assert.equal(watcher.mode, "poll");
  });

  test("an event stream that keeps failing (500) gives way to long-poll", async () => {
    const board = new StatusBoard();
    const { server, watch } = await setup({
      "GET /api/v1/agent/events": (_request, response) => problem(response, 500, "internal", "Something went wrong on our side."),
      "GET /api/v1/agent/status": board.statusRoute,
    });
    const watcher = watch({});
    await watcher.ready;
    assert.equal(watcher.mode, "long-poll");
    assert.equal(server.hits("GET /api/v1/agent/events").length, 3);
  });

  test("an event stream that goes quiet (a buffering proxy) gives way to long-poll before the lease runs out", async () => {
    const board = new StatusBoard();
    const { watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute({ heartbeatMs: 0 }), "GET /api/v1/agent/status": board.statusRoute });
    const watcher = watch({ leaseMs: 2_000 });
    await watcher.ready;
    assert.equal(watcher.mode, "sse");
    await delay(2_600); // quiet for half the lease → long-poll, whose answers keep the lease alive
    assert.equal(watcher.mode, "long-poll");
    assert.equal(watcher.signal.aborted, false, String(watcher.signal.reason));
    board.set({ state: "killed", mode: "forced" });
    await abortedWithin(watcher.signal, 1_000);
  });

  test("a revoked key (401) stops the agent", async () => {
    const { watch } = await setup({ "GET /api/v1/agent/status": (_request, response) => problem(response, 401, "unauthorized", "The key was revoked.") });
    const watcher = watch({ mode: "poll" });
    await abortedWithin(watcher.signal, 1_000);
    assert.ok(watcher.signal.reason instanceof AuthenticationError);
    await assert.rejects(watcher.ready, AuthenticationError);
  });
});

describe("dead-man lease", () => {
  test("a stream that goes silent aborts the signal with LeaseExpiredError after the lease", async () => {
    const board = new StatusBoard();
    const { watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute({ heartbeatMs: 0 }) });
    const watcher = watch({ leaseMs: 400 });
    await watcher.ready;
    const ms = await abortedWithin(watcher.signal, 1_500);
    const reason = watcher.signal.reason as LeaseExpiredError;
    assert.ok(reason instanceof LeaseExpiredError, String(reason));
    assert.equal(reason.leaseMs, 400);
    assert.ok(ms >= 300 && ms < 800, `${ms} ms`);
  });

  test("heartbeats alone keep the lease alive", async () => {
    const board = new StatusBoard();
    const { watch } = await setup({ "GET /api/v1/agent/events": board.eventsRoute({ heartbeatMs: 50 }) });
    const watcher = watch({ leaseMs: 300 });
    await watcher.ready;
    await delay(700);
    assert.equal(watcher.signal.aborted, false, String(watcher.signal.reason));
  });

  test("Mandate unreachable from the start: the lease still expires", async () => {
    const { watch } = await setup({}, await closedPortUrl());
    const watcher = watch({ leaseMs: 300 });
    await abortedWithin(watcher.signal, 1_500);
    assert.ok(watcher.signal.reason instanceof LeaseExpiredError);
    await assert.rejects(watcher.ready, LeaseExpiredError);
  });

  test("stop() ends the watching without aborting the signal", async () => {
    const board = new StatusBoard();
    const { server, watch } = await setup({ "GET /api/v1/agent/status": board.statusRoute });
    const watcher = watch({ mode: "poll", pollIntervalMs: 30, leaseMs: 200 });
    await watcher.ready;
    watcher.stop();
    const count = server.hits("GET /api/v1/agent/status").length;
    await delay(400);
    assert.equal(watcher.signal.aborted, false);
    assert.equal(server.hits("GET /api/v1/agent/status").length, count);
  });
});

const ACK = "POST /api/v1/agent/drills/:id/ack";

/** Routes for one transport: SSE serves only the stream, the others only the status. */
function routesFor(board: StatusBoard, mode: WatchMode): Record<string, Handler> {
  const status: Record<string, Handler> = mode === "sse" ? { "GET /api/v1/agent/events": board.eventsRoute({ heartbeatMs: 100 }) } : { "GET /api/v1/agent/status": board.statusRoute };
  return { ...status, [ACK]: board.ackRoute };
}

async function until(check: () => boolean, limitMs = 2_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not true within ${limitMs} ms`);
    await delay(10);
  }
}

describe("kill drills after the agent has stopped (a draft agent answers suspended)", () => {
  for (const mode of ["sse", "long-poll", "poll"] as const) {
    test(`over ${mode}: the signal aborts at once, and a drill started later is acknowledged exactly once`, async () => {
      const board = new StatusBoard();
      board.set({ state: "suspended", reason: "Draft: not yet activated" });
      const { server, events, watch } = await setup(routesFor(board, mode));
      const watcher = watch({ mode, pollIntervalMs: 50 });
      assert.equal((await watcher.ready).state, "suspended");
      await abortedWithin(watcher.signal, 1_000);
      const reason = watcher.signal.reason as KilledError;
      assert.equal(reason.state, "suspended");
      await delay(150); // the drill comes well after the abort
      board.startDrill("drill-late");
      await until(() => events.some((event) => event.type === "drill.acknowledged"));
      assert.deepEqual(board.acked, ["drill-late"]);
      const acknowledged = events.find((event) => event.type === "drill.acknowledged");
      assert.deepEqual(acknowledged && { drillId: acknowledged.drillId, outcome: acknowledged.outcome }, { drillId: "drill-late", outcome: "passed" });
      // The same drill showing up again is not acknowledged twice.
      board.set({ state: "suspended", drill: { id: "drill-late", startedAt: new Date().toISOString() } });
      await delay(200);
      assert.equal(server.hits(ACK).length, 1);
      assert.equal(server.hits(ACK)[0]?.path, "/api/v1/agent/drills/drill-late/ack");
      assert.equal(server.hits(ACK)[0]?.body, undefined, "the ack has no body");
      // Activated meanwhile: the agent stays stopped with the reason that stopped it.
      board.set({ state: "active" });
      await delay(200);
      assert.equal(watcher.signal.reason, reason);
      assert.equal(watcher.state, "suspended");
      assert.ok(!events.some((event) => event.type === "watch.status" && event.status.state === "active"));
      assert.ok(!events.some((event) => event.type === "drill.failed" || event.type === "watch.stopped"));
    });
  }

  test("a drill pending at connect is acknowledged even though the same status aborts the signal", async () => {
    const board = new StatusBoard();
    board.set({ state: "suspended" });
    board.startDrill("drill-pending");
    // A slow answer: the ack is still in flight well after the abort.
    const { events, watch } = await setup({ ...routesFor(board, "sse"), [ACK]: async (request, response, params) => {
      await hold(150);
      await board.ackRoute(request, response, params);
    } });
    const watcher = watch({});
    await abortedWithin(watcher.signal, 1_000);
    await until(() => events.some((event) => event.type === "drill.acknowledged" || event.type === "drill.failed"));
    assert.deepEqual(board.acked, ["drill-pending"]);
    assert.ok(events.some((event) => event.type === "drill.acknowledged" && event.drillId === "drill-pending" && event.outcome === "passed"));
    assert.ok(!events.some((event) => event.type === "drill.failed"));
  });

  test("keepWatching: false ends the watching at the abort, yet lets a pending drill's ack land", async () => {
    const board = new StatusBoard();
    board.set({ state: "suspended" });
    board.startDrill("drill-once");
    const { server, events, watch } = await setup({ ...routesFor(board, "poll"), [ACK]: async (request, response, params) => {
      await hold(100);
      await board.ackRoute(request, response, params);
    } });
    const watcher = watch({ mode: "poll", pollIntervalMs: 30, keepWatching: false });
    await abortedWithin(watcher.signal, 1_000);
    await until(() => events.some((event) => event.type === "drill.acknowledged"));
    assert.deepEqual(board.acked, ["drill-once"]);
    assert.ok(events.some((event) => event.type === "watch.stopped"));
    const polls = server.hits("GET /api/v1/agent/status").length;
    board.startDrill("drill-unseen");
    await delay(200);
    assert.equal(server.hits("GET /api/v1/agent/status").length, polls);
    assert.equal(server.hits(ACK).length, 1);
  });

  test("after stop() no request follows, drills included", async () => {
    const board = new StatusBoard();
    board.set({ state: "suspended" });
    const { server, events, watch } = await setup(routesFor(board, "poll"));
    const watcher = watch({ mode: "poll", pollIntervalMs: 30 });
    await abortedWithin(watcher.signal, 1_000);
    await delay(100);
    assert.ok(server.hits("GET /api/v1/agent/status").length >= 2, "still polling after the abort");
    watcher.stop();
    assert.ok(events.some((event) => event.type === "watch.stopped"));
    const count = server.requests.length;
    board.startDrill("drill-after-stop");
    await delay(300);
    assert.equal(server.requests.length, count);
    assert.deepEqual(board.acked, []);
  });

  test("a refused key after the abort ends the watching for good", async () => {
    const board = new StatusBoard();
    board.set({ state: "killed", mode: "graceful" });
    let revoked = false;
    const { server, events, watch } = await setup({
      "GET /api/v1/agent/status": async (request, response, params) => {
        if (revoked) return problem(response, 401, "unauthorized", "The key was revoked.");
        await board.statusRoute(request, response, params);
      },
    });
    const watcher = watch({ mode: "poll", pollIntervalMs: 30 });
    await abortedWithin(watcher.signal, 1_000);
    revoked = true;
    await until(() => events.some((event) => event.type === "watch.stopped"));
    const count = server.hits("GET /api/v1/agent/status").length;
    await delay(200);
    assert.equal(server.hits("GET /api/v1/agent/status").length, count);
    assert.ok(watcher.signal.reason instanceof KilledError, "the first reason stays");
  });
});
