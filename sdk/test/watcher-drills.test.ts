// The kill watcher and drills once the agent has stopped: a drill is still acknowledged (once),
// whatever the transport, until the watching ends.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KilledError, type WatchMode } from "../src/index.ts";
import { delay, hold, problem, type Handler } from "./fake-mandate.ts";
import { StatusBoard } from "./status-board.ts";
import { abortedWithin, setup } from "./watcher-setup.ts";

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
