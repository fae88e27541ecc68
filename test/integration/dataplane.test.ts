// The data plane against a real PostgreSQL: health, the problem documents of every failure
// mode, agent auth failing closed, the OpenAPI document, and the one-port dispatch on a socket.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildDataPlane } from "@/lib/http/dataplane/app";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { routes } from "@/lib/http/dataplane/routes";
import { AppError } from "@/lib/http/errors";
import { createDispatcher } from "@/lib/server/http-server";

const SECRET = "password=hunter2 at db.internal:5432";

const echo = defineRoute({
  method: "POST",
  url: "/test/echo",
  summary: "test only",
  auth: "none",
  query: z.object({ times: z.coerce.number().int().min(1).max(3).default(1) }),
  body: z.object({ name: z.string().min(1), nested: z.object({ n: z.number().int() }) }),
  responses: { 200: z.object({ names: z.array(z.string()), n: z.number() }) },
  handler: ({ query, body }) => ({ status: 200, body: { names: Array(query.times).fill(body.name), n: body.nested.n } }),
});

const boom = defineRoute({
  method: "GET",
  url: "/test/boom",
  summary: "test only",
  auth: "none",
  responses: { 200: z.object({}) },
  handler: () => {
    throw new Error(SECRET);
  },
});

const whoami = defineRoute({
  method: "POST",
  url: "/test/whoami",
  summary: "test only",
  auth: "agent",
  body: z.object({ note: z.string() }),
  responses: { 200: z.object({ agentId: z.string(), requestId: z.string(), note: z.string() }) },
  handler: ({ agent, actor, body }) => ({
    status: 200,
    body: { agentId: agent.agentId, requestId: actor.requestId ?? "", note: body.note },
  }),
});

const testRoutes = [...routes, echo, boom, whoami];
const app = buildDataPlane({ logger: false, routes: testRoutes });
const deadPool = new pg.Pool({ connectionString: "postgresql://x:y@127.0.0.1:1/none", connectionTimeoutMillis: 500 });
deadPool.on("error", () => {});
const deadApp = buildDataPlane({ logger: false, pool: deadPool });

afterAll(async () => {
  await Promise.all([app.close(), deadApp.close()]);
  await deadPool.end();
});

const json = { "content-type": "application/json" };

function expectProblem(response: { headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
  const problem = response.json() as Record<string, unknown>;
  expect(problem).toMatchObject({ status, code, type: `https://mandate.dev/problems/${code.replaceAll("_", "-")}` });
  expect(typeof problem.title).toBe("string");
  expect(problem.requestId).toBe(response.headers["x-request-id"]);
  return problem;
}

describe("GET /api/v1/health", () => {
  it("answers 200 with the database up and a request id", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", db: "up", version: expect.any(String) });
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("echoes a well-formed incoming request id and replaces a malformed one", async () => {
    const kept = await app.inject({ method: "GET", url: "/api/v1/health", headers: { "x-request-id": "trace-42.a_b" } });
    expect(kept.headers["x-request-id"]).toBe("trace-42.a_b");
    for (const bad of ["has space", "x".repeat(65), "<script>", ""]) {
      const replaced = await app.inject({ method: "GET", url: "/api/v1/health", headers: { "x-request-id": bad } });
      expect(replaced.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("answers 503 degraded when the database is unreachable", async () => {
    const response = await deadApp.inject({ method: "GET", url: "/api/v1/health" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: "degraded", db: "down", version: expect.any(String) });
  });

  it("shares one query among concurrent checks and never reuses an answer older than ~250 ms", async () => {
    let queries = 0;
    const counting = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    const realQuery = counting.query.bind(counting) as (text: string) => Promise<unknown>;
    (counting as unknown as { query: (text: string) => Promise<unknown> }).query = (text: string) => {
      queries += 1;
      return realQuery(text);
    };
    const countingApp = buildDataPlane({ logger: false, pool: counting });
    try {
      const burst = await Promise.all(Array.from({ length: 50 }, () => countingApp.inject({ method: "GET", url: "/api/v1/health" })));
      expect(burst.every((response) => response.statusCode === 200)).toBe(true);
      expect(queries).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await countingApp.inject({ method: "GET", url: "/api/v1/health" });
      expect(queries).toBe(2);
    } finally {
      await countingApp.close();
      await counting.end();
    }
  });
});

describe("problem documents", () => {
  it("404s an unknown route with the method and path in the detail", async () => {
    const response = await app.inject({ method: "DELETE", url: "/api/v1/nowhere?x=1" });
    expect(response.statusCode).toBe(404);
    const problem = expectProblem(response, 404, "not_found");
    expect(problem.detail).toContain("DELETE /api/v1/nowhere");
    expect(problem.detail).not.toContain("x=1");
    const withBadBody = await app.inject({ method: "POST", url: "/api/v1/nowhere", headers: json, payload: "{" });
    expectProblem(withBadBody, 404, "not_found");
  });

  it("400s malformed and empty JSON as invalid_json", async () => {
    const malformed = await app.inject({ method: "POST", url: "/api/v1/test/echo", headers: json, payload: '{"name": "a",' });
    expect(malformed.statusCode).toBe(400);
    expectProblem(malformed, 400, "invalid_json");
    const empty = await app.inject({ method: "POST", url: "/api/v1/test/echo", headers: json, payload: "" });
    expectProblem(empty, 400, "invalid_json");
    const poisoned = await app.inject({ method: "POST", url: "/api/v1/test/echo", headers: json, payload: '{"__proto__": {"x": 1}}' });
    expectProblem(poisoned, 400, "invalid_json");
  });

  it("400s invalid fields as validation_failed with their paths", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/test/echo",
      headers: json,
      payload: JSON.stringify({ name: "", nested: { n: 1.5 } }),
    });
    const problem = expectProblem(response, 400, "validation_failed");
    const paths = (problem.errors as { path: string; message: string }[]).map((field) => field.path).sort();
    expect(paths).toEqual(["name", "nested.n"]);

    const query = await app.inject({ method: "POST", url: "/api/v1/test/echo?times=9", headers: json, payload: { name: "a", nested: { n: 1 } } });
    expect((expectProblem(query, 400, "validation_failed").errors as { path: string }[])[0]?.path).toBe("query.times");

    const missing = await app.inject({ method: "POST", url: "/api/v1/test/echo" });
    expect((expectProblem(missing, 400, "validation_failed").errors as { path: string }[])[0]?.path).toBe("(root)");
  });

  it("serves a valid request", async () => {
    const response = await app.inject({ method: "POST", url: "/api/v1/test/echo?times=2", payload: { name: "a", nested: { n: 7 } } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ names: ["a", "a"], n: 7 });
  });

  it("413s a body over 64 KiB", async () => {
    const payload = JSON.stringify({ name: "x".repeat(65 * 1024), nested: { n: 1 } });
    const response = await app.inject({ method: "POST", url: "/api/v1/test/echo", headers: json, payload });
    expectProblem(response, 413, "payload_too_large");
  });

  it("415s anything that is not JSON", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const response = await app.inject({ method: "POST", url: "/api/v1/test/echo", headers: { "content-type": type }, payload: "name=a" });
      expectProblem(response, 415, "unsupported_media_type");
    }
  });

  it("500s an unknown error without its message", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/test/boom" });
    const problem = expectProblem(response, 500, "internal");
    expect(response.body).not.toContain("hunter2");
    expect(response.body).not.toContain("db.internal");
    expect(problem.detail).toMatch(/request id/);
  });

  it("keeps Fastify's own client errors as problems with their real status", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/%E0%A4%A" });
    expect(response.statusCode).toBe(400);
    expectProblem(response, 400, "bad_request");
  });
});

describe("agent routes", () => {
  it("fail closed with 401 by default, before the body is read", async () => {
    const response = await app.inject({ method: "POST", url: "/api/v1/test/whoami", headers: { ...json, authorization: "Bearer anything" }, payload: "{oops" });
    expectProblem(response, 401, "unauthorized");
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  it("run with the caller a pluggable authenticate hook returns", async () => {
    const authed = buildDataPlane({
      logger: false,
      routes: testRoutes,
      authenticate: async (request) => {
        if (request.headers.authorization !== "Bearer good") throw new AppError("unauthorized", "Unknown agent key.");
        return { agentId: "agent-1", credentialId: "cred-1" };
      },
    });
    try {
      const ok = await authed.inject({ method: "POST", url: "/api/v1/test/whoami", headers: { authorization: "Bearer good" }, payload: { note: "hi" } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ agentId: "agent-1", requestId: ok.headers["x-request-id"], note: "hi" });
      const refused = await authed.inject({ method: "POST", url: "/api/v1/test/whoami", headers: { authorization: "Bearer bad" }, payload: { note: "hi" } });
      expect(expectProblem(refused, 401, "unauthorized").detail).toBe("Unknown agent key.");
    } finally {
      await authed.close();
    }
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1.0 document listing health with its 200 and 503", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const doc = response.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Mandate agent API");
    expect(doc.servers).toEqual([{ url: "/api/v1" }]);
    const health = doc.paths["/health"].get;
    expect(Object.keys(health.responses)).toEqual(expect.arrayContaining(["200", "503"]));
    expect(health.responses["200"].content["application/json"].schema.properties.db.enum).toEqual(["up", "down"]);
    expect(health.security).toBeUndefined();
    expect(doc.paths["/openapi.json"].get).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    expect(doc.components.schemas.Problem.properties.code.enum).toContain("not_found");
  });
});

describe("one port: the dispatcher on a real socket", () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    await app.ready();
    const stubNext = (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("next");
    };
    server = http.createServer(createDispatcher(app, stubNext));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends /api/v1 and below to the data plane and the rest to Next", async () => {
    const health = await fetch(`${base}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", db: "up" });

    const root = await fetch(`${base}/api/v1`);
    expect(root.status).toBe(404);
    expect(root.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");

    for (const path of ["/", "/agents", "/api/ping", "/api/v1x/health", "/api/v10/health"]) {
      const response = await fetch(`${base}${path}`);
      expect(await response.text(), path).toBe("next");
    }
  });

  it("answers malformed JSON on the socket with a problem, not an HTML page", async () => {
    const response = await fetch(`${base}/api/v1/test/echo`, { method: "POST", headers: json, body: "{" });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe("invalid_json");
  });
});
