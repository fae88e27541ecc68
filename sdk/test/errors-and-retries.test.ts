import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  AuthenticationError,
  ConflictError,
  InvalidRequestError,
  Mandate,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnavailableError,
  type MandateEvent,
} from "../src/index.ts";
import { KEY, closedPortUrl, hold, json, problem, startFake, type Fake, type Handler } from "./fake-mandate.ts";

const reasoning = { instruction: "Look up the customer" };
const fakes: Fake[] = [];
after(() => Promise.all(fakes.map((fake) => fake.close())));

async function setup(routes: Record<string, Handler>, options: { baseDelayMs?: number; timeoutMs?: number } = {}) {
  const server = await startFake(routes);
  fakes.push(server);
  const events: MandateEvent[] = [];
  const mandate = new Mandate({
    url: server.url,
    key: KEY,
    timeoutMs: options.timeoutMs,
    retry: { attempts: 3, baseDelayMs: options.baseDelayMs ?? 5, maxDelayMs: 500 },
    onEvent: (event) => events.push(event),
  });
  return { server, mandate, events };
}

describe("retries", () => {
  test("503 then 503 then allow: retried with growing, jittered backoff", async () => {
    let calls = 0;
    const { server, mandate, events } = await setup(
      {
        "POST /api/v1/decisions": (_request, response) => {
          calls += 1;
          if (calls < 3) return problem(response, 503, "unavailable", "The database is unavailable.");
          json(response, 200, { decisionId: "d-1", effect: "allow", reason: "allowed_by_list" });
        },
      },
      { baseDelayMs: 60 },
    );
    const decision = await mandate.authorize("crm.contact.read", { reasoning });
    assert.equal(decision.effect, "allow");
    const times = server.hits("POST /api/v1/decisions").map((request) => request.at);
    assert.equal(times.length, 3);
    // Equal jitter: retry n waits between half and all of base·2^(n-1).
    assert.ok(times[1]! - times[0]! >= 28, `first gap ${times[1]! - times[0]!}`);
    assert.ok(times[2]! - times[1]! >= 58, `second gap ${times[2]! - times[1]!}`);
    const retries = events.filter((event) => event.type === "retry");
    assert.deepEqual(retries.map((event) => event.type === "retry" && event.attempt), [1, 2]);
  });

  test("a 503 from POST /decisions that persists is UnavailableError after every attempt — fail closed", async () => {
    const { server, mandate } = await setup({
      "POST /api/v1/decisions": (_request, response) => problem(response, 503, "unavailable", "The database is unavailable; nothing is allowed."),
    });
    const error = await mandate.authorize("crm.contact.read", { reasoning }).catch((caught: unknown) => caught);
    assert.ok(error instanceof UnavailableError, String(error));
    assert.equal(error.status, 503);
    assert.equal(error.code, "unavailable");
    assert.equal(error.requestId, "req-problem");
    assert.equal(server.hits("POST /api/v1/decisions").length, 3);
  });

  test("connection refused is retried, then UnavailableError(network_error)", async () => {
    const events: MandateEvent[] = [];
    const mandate = new Mandate({ url: await closedPortUrl(), key: KEY, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, onEvent: (event) => events.push(event) });
    const error = await mandate.authorize("crm.contact.read", { reasoning }).catch((caught: unknown) => caught);
    assert.ok(error instanceof UnavailableError, String(error));
    assert.equal(error.code, "network_error");
    assert.match(error.detail, /ECONNREFUSED/);
    assert.equal(events.filter((event) => event.type === "retry").length, 2);
  });

  test("a request that takes too long times out and is retried", async () => {
    const { server, mandate } = await setup(
      {
        "GET /api/v1/agent": async (_request, response) => {
          await hold(2_000);
          json(response, 200, {});
        },
      },
      { timeoutMs: 80 },
    );
    const error = await mandate.whoami().catch((caught: unknown) => caught);
    assert.ok(error instanceof UnavailableError && error.code === "timeout", String(error));
    assert.equal(server.hits("GET /api/v1/agent").length, 3);
  });

  test("502 (an HTML page from a proxy) then an answer", async () => {
    let calls = 0;
    const { mandate } = await setup({
      "GET /api/v1/agent": (_request, response) => {
        calls += 1;
        if (calls === 1) {
          response.writeHead(502, { "content-type": "text/html" });
          return response.end("<html>Bad gateway</html>");
        }
        json(response, 200, { id: "a-1", slug: "support-triage", name: "Support Triage", status: "active", maturity: "senior" });
      },
    });
    const agent = await mandate.whoami();
    assert.equal(agent.slug, "support-triage");
    assert.equal(calls, 2);
  });

  test("Retry-After stretches the wait (within maxDelayMs)", async () => {
    let calls = 0;
    const { server, mandate } = await setup({
      "GET /api/v1/agent": (_request, response) => {
        calls += 1;
        if (calls === 1) {
          response.writeHead(503, { "content-type": "application/problem+json", "retry-after": "1" });
          return response.end(JSON.stringify({ status: 503, code: "unavailable", detail: "busy" }));
        }
        json(response, 200, { id: "a-1" });
      },
    });
    await mandate.whoami();
    const [first, second] = server.hits("GET /api/v1/agent").map((request) => request.at);
    assert.ok(second! - first! >= 450, `gap ${second! - first!} (maxDelayMs 500 caps Retry-After 1 s)`);
  });
});

describe("answers are never retried", () => {
  const cases: Array<[number, string, new (...args: never[]) => Error]> = [
    [400, "validation_failed", InvalidRequestError],
    [401, "unauthorized", AuthenticationError],
    [404, "not_found", NotFoundError],
    [409, "conflict", ConflictError],
    [413, "payload_too_large", InvalidRequestError],
    [429, "too_many_requests", RateLimitedError],
    [500, "internal", ServerError],
  ];
  for (const [status, code, type] of cases) {
    test(`${status} → ${type.name}, one request, problem fields kept`, async () => {
      const { server, mandate } = await setup({
        "POST /api/v1/decisions": (_request, response) =>
          problem(response, status, code, `problem ${status}`, status === 400 ? { errors: [{ path: "reasoning.instruction", message: "Required" }] } : {}),
      });
      const error = await mandate.authorize("crm.contact.read", { reasoning }).catch((caught: unknown) => caught);
      assert.ok(error instanceof type, `${String(error)} is not a ${type.name}`);
      const typed = error as InvalidRequestError;
      assert.equal(typed.status, status);
      assert.equal(typed.code, code);
      assert.equal(typed.detail, `problem ${status}`);
      assert.equal(typed.requestId, "req-problem");
      if (status === 400) assert.deepEqual(typed.errors, [{ path: "reasoning.instruction", message: "Required" }]);
      assert.equal(server.hits("POST /api/v1/decisions").length, 1);
    });
  }

  test("a wrong key is a 401 AuthenticationError (the fake checks the bearer header)", async () => {
    const server = await startFake({});
    fakes.push(server);
    const mandate = new Mandate({ url: `${server.url}/api/v1/`, key: "mnd_wrong", retry: { attempts: 3 } });
    await assert.rejects(mandate.whoami(), AuthenticationError);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]?.path, "/api/v1/agent");
  });
});

describe("configuration", () => {
  test("url and key are checked up front", () => {
    assert.throws(() => new Mandate({ url: "http://localhost:3000", key: "" }), /key/);
    assert.throws(() => new Mandate({ url: "localhost:3000", key: KEY }), /url/);
    assert.equal(new Mandate({ url: "https://m.example.com/", key: KEY }).apiUrl, "https://m.example.com/api/v1");
    assert.equal(new Mandate({ url: "https://m.example.com/api/v1", key: KEY }).apiUrl, "https://m.example.com/api/v1");
  });
});
