// The data plane through the real server: health, the OpenAPI document, and problem documents.
import { expect, test } from "@playwright/test";

test("health answers with the database state and version", async ({ request }) => {
  const response = await request.get("/api/v1/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", db: "up", version: expect.any(String) });
  expect(response.headers()["x-request-id"]).toBeTruthy();
});

test("openapi.json is an OpenAPI 3.1 document of the routes that exist", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toMatch(/^3\.1\./);
  // Paths are relative to the server URL, as OpenAPI intends.
  expect(document.servers[0].url).toBe("/api/v1");
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/health", "/openapi.json"]));
  expect(Object.keys(document.paths["/health"].get.responses)).toEqual(expect.arrayContaining(["200", "503"]));
});

const problems = [
  { name: "unknown route", method: "GET", path: "/api/v1/nothing-here", status: 404, code: "not_found" },
  { name: "unknown nested route", method: "POST", path: "/api/v1/agent/x/y", status: 404, code: "not_found" },
] as const;

for (const { name, method, path, status, code } of problems) {
  test(`${name} → ${status} problem+json`, async ({ request }) => {
    const response = await request.fetch(path, { method, data: method === "POST" ? "{" : undefined, headers: { "content-type": "application/json" } });
    expect(response.status()).toBe(status);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  });
}

test("console routes answer 401 problem+json without a session", async ({ request }) => {
  const response = await request.get("/api/console/overview");
  expect(response.status()).toBe(401);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
});
