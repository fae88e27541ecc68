import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, KilledError, LeaseExpiredError } from "../src/index.ts";
import { closedPortUrl, delay, problem } from "./fake-mandate.ts";
import { StatusBoard } from "./status-board.ts";
import { abortedWithin, setup } from "./watcher-setup.ts";

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
