// The agent API as an attacker holding one agent's key sees it, through real HTTP on the full data
// plane: text the database cannot store is a 400 naming the field (never a 500) on every route
// that writes, a percent-encoded "../" never passes a resource pattern, another agent's
// checkpoints, decisions and drills are 404, and hostile JSON, content types and method
// overrides are refused as problems before anything is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeNotify } from "@/lib/db/notify";
import { ask, call, startPlane, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org, type TestAgent } from "./decide-fixtures";

let plane: Plane;
let org: Org;
let a: TestAgent;
let b: TestAgent;

beforeAll(async () => {
  org = await seedOrg();
  a = await makeAgent(org, {
    lines: [{ action: "t.doc.read" }, { action: "t.doc.list", conditions: { resource: "tickets/**" } }],
  });
  b = await makeAgent(org, { lines: [{ action: "t.doc.read" }, { action: "t.pay.send" }] });
  plane = await startPlane();
});

afterAll(async () => {
  await plane.close();
  await closeNotify();
});

function expectProblem(answer: { status: number; headers: Headers; text: string }, status: number) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toContain("application/problem+json");
  expect(answer.text).not.toMatch(/\n\s+at /);
}

function paths(answer: { body: Record<string, unknown> }): string[] {
  return ((answer.body.errors ?? []) as Array<{ path: string }>).map((error) => error.path);
}

// JSON.stringify keeps a lone surrogate as the escape \udXXX, which is what an attacker sends.
const NUL = "x\u0000y";
const LONE_SURROGATE = "x\ud800y";

describe("text PostgreSQL cannot store is a 400, never a 500", () => {
  const delegation = (extra: Record<string, unknown>) => ({
    toAgent: b.slug,
    actions: ["t.doc.read"],
    ttlSeconds: 600,
    reasoning: { instruction: "Help with ticket 4711" },
    ...extra,
  });
  const cases: Array<[string, () => Record<string, unknown>, string]> = [
    ["a NUL in toAgent", () => delegation({ toAgent: `${b.slug}\u0000` }), "toAgent"],
    ["a NUL in an action", () => delegation({ actions: ["t.doc.read\u0000"] }), "actions.0"],
    ["a NUL in the instruction", () => delegation({ reasoning: { instruction: NUL } }), "reasoning.instruction"],
    ["a lone surrogate in the rationale", () => delegation({ reasoning: { instruction: "Help", rationale: LONE_SURROGATE } }), "reasoning.rationale"],
    ["a NUL in an option considered", () => delegation({ reasoning: { instruction: "Help", considered: [NUL] } }), "reasoning.considered.0"],
  ];
  for (const [name, body, path] of cases) {
    it(`POST /delegations with ${name}`, async () => {
      const before = await db().delegation.count();
      const answer = await call(plane, "POST", "/delegations", { key: a.key, body: body() });
      expectProblem(answer, 400);
      expect(answer.body.code).toBe("validation_failed");
      expect(paths(answer)).toContain(path);
      expect(await db().delegation.count()).toBe(before);
    });
  }

  const outcomes: Array<[string, Record<string, unknown>, string]> = [
    ["a NUL in the summary", { status: "succeeded", summary: NUL }, "summary"],
    ["a lone surrogate in the summary", { status: "succeeded", summary: LONE_SURROGATE }, "summary"],
    ["a NUL in a data value", { status: "succeeded", data: { rows: [{ note: NUL }] } }, "data.rows.0.note"],
    ["a NUL in a data key", { status: "succeeded", data: { [NUL]: 1 } }, `data.${NUL}`],
    ["a lone surrogate in a data value", { status: "failed", data: { error: LONE_SURROGATE } }, "data.error"],
  ];
  for (const [name, body, path] of outcomes) {
    it(`POST /decisions/:id/outcome with ${name}`, async () => {
      const decided = await call(plane, "POST", "/decisions", { key: a.key, body: ask("t.doc.read") });
      expect(decided.body.effect).toBe("allow");
      const id = decided.body.decisionId as string;
      const answer = await call(plane, "POST", `/decisions/${id}/outcome`, { key: a.key, body });
      expectProblem(answer, 400);
      expect(answer.body.code).toBe("validation_failed");
      expect(paths(answer)).toContain(path);
      const row = await db().decision.findUniqueOrThrow({ where: { id }, select: { outcomeStatus: true } });
      expect(row.outcomeStatus).toBeNull();
      // The refusal left the decision open: a clean report still goes through.
      expect((await call(plane, "POST", `/decisions/${id}/outcome`, { key: a.key, body: { status: "succeeded" } })).status).toBe(200);
    });
  }
});

describe("a resource pattern cannot be escaped with percent-encoding", () => {
  const resources = ["tickets/%2e%2e%2fadmin", "tickets/%2E%2E%2Fadmin", "tickets/..%2fadmin", "tickets/x%2f..%2f..%2fadmin", "tickets/%2e%2e%5cadmin", "tickets/a%2f%2fb"];
  for (const resource of resources) {
    it(`denies ${resource} under tickets/**`, async () => {
      const answer = await call(plane, "POST", "/decisions", { key: a.key, body: ask("t.doc.list", { resource }) });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ effect: "deny", reason: "condition_failed" });
    });
  }

  it("still allows a plain resource below the pattern", async () => {
    const answer = await call(plane, "POST", "/decisions", { key: a.key, body: ask("t.doc.list", { resource: "tickets/4711/notes" }) });
    expect(answer.body).toMatchObject({ effect: "allow" });
  });
});

describe("one agent's key never reaches another agent's records", () => {
  it("404s B's checkpoint, B's decision and B's drill for A's key, and leaves them as they were", async () => {
    const pending = await call(plane, "POST", "/decisions", { key: b.key, body: ask("t.pay.send", { params: { amount: 5 } }) });
    expect(pending.body.effect).toBe("pending");
    const allowed = await call(plane, "POST", "/decisions", { key: b.key, body: ask("t.doc.read") });
    const drill = await db().killDrill.create({ data: { agentId: b.id, startedById: org.adminId }, select: { id: true } });

    for (const [method, path, body] of [
      ["GET", `/checkpoints/${pending.body.checkpointId as string}`, undefined],
      ["GET", `/checkpoints/${pending.body.checkpointId as string}?wait=1`, undefined],
      ["POST", `/decisions/${allowed.body.decisionId as string}/outcome`, { status: "succeeded" }],
      ["POST", `/agent/drills/${drill.id}/ack`, undefined],
    ] as const) {
      const answer = await call(plane, method, path, { key: a.key, ...(body ? { body } : {}) });
      expectProblem(answer, 404);
    }
    expect((await db().decision.findUniqueOrThrow({ where: { id: allowed.body.decisionId as string } })).outcomeStatus).toBeNull();
    expect((await db().killDrill.findUniqueOrThrow({ where: { id: drill.id } })).status).toBe("pending");
    expect((await db().checkpoint.findUniqueOrThrow({ where: { id: pending.body.checkpointId as string } })).consumedAt).toBeNull();
  });
});

describe("hostile requests are refused as problems and write nothing", () => {
  const reasoning = { instruction: "Read it." };
  const hostile: Array<{ name: string; method?: "GET" | "POST"; path?: string; raw?: string; headers?: Record<string, string>; status: number }> = [
    { name: "__proto__ in params", raw: '{"action":"t.doc.read","reasoning":{"instruction":"x"},"params":{"__proto__":{"admin":true}}}', status: 400 },
    { name: "constructor.prototype in params", raw: '{"action":"t.doc.read","reasoning":{"instruction":"x"},"params":{"constructor":{"prototype":{"admin":true}}}}', status: 400 },
    { name: "params nested 10,000 deep", raw: `{"action":"t.doc.read","reasoning":{"instruction":"x"},"params":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`, status: 400 },
    { name: "arrays nested 30,000 deep", raw: `{"action":"t.doc.read","reasoning":{"instruction":"x"},"params":{"a":${"[".repeat(30_000)}${"]".repeat(30_000)}}}`, status: 400 },
    { name: "a JSON body sent as text/plain", raw: JSON.stringify({ action: "t.doc.read", reasoning }), headers: { "content-type": "text/plain" }, status: 415 },
    { name: "a JSON body sent as a form", raw: JSON.stringify({ action: "t.doc.read", reasoning }), headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415 },
    { name: "a look-alike JSON media type", raw: JSON.stringify({ action: "t.doc.read", reasoning }), headers: { "content-type": "application/jsonx" }, status: 415 },
    { name: "a method override header", method: "POST", path: "/agent", headers: { "x-http-method-override": "GET" }, status: 404 },
    { name: "a negative wait", method: "GET", path: "/checkpoints/00000000-0000-4000-8000-000000000000?wait=-1", status: 400 },
    { name: "a NaN wait", method: "GET", path: "/checkpoints/00000000-0000-4000-8000-000000000000?wait=NaN", status: 400 },
    { name: "a huge wait", method: "GET", path: "/checkpoints/00000000-0000-4000-8000-000000000000?wait=1e308", status: 400 },
    { name: "a traversing checkpoint id", method: "GET", path: "/checkpoints/..%2f..%2fagent", status: 404 },
  ];
  for (const { name, method = "POST", path = "/decisions", raw, headers, status } of hostile) {
    it(`${name} → ${status}`, async () => {
      const before = await db().decision.count({ where: { agentId: a.id } });
      const answer = await call(plane, method, path, { key: a.key, ...(raw !== undefined ? { raw } : {}), headers: { ...(raw !== undefined ? { "content-type": "application/json" } : {}), ...headers } });
      expectProblem(answer, status);
      expect(await db().decision.count({ where: { agentId: a.id } })).toBe(before);
    });
  }

  it("replaces a request id that could split a header or a log line", async () => {
    const answer = await call(plane, "GET", "/agent", { key: a.key, headers: { "x-request-id": "abc def;<script>" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
