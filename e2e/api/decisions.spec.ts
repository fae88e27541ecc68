// The agent API through the real server with a seeded demo key: ask before acting, be told no
// for what is off the list, be refused without a key, and find both routes in openapi.json.
import { expect, test } from "@playwright/test";
import { seededAccounts } from "../support/accounts";

function demoKey(agent: string): string {
  const found = seededAccounts().agentKeys.find((entry) => entry.agent === agent);
  if (!found) throw new Error(`The e2e seed has no key for ${agent}.`);
  return found.key;
}

const reasoning = { instruction: "Triage ticket 48213.", considered: ["read the ticket", "escalate"], chosen: "read the ticket" };

test("an allowed read is answered allow with a decision id", async ({ request }) => {
  const response = await request.post("/api/v1/decisions", {
    headers: { authorization: `Bearer ${demoKey("support-triage")}` },
    data: { action: "helpdesk.ticket.read", resource: "tickets/48213", reasoning },
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/), effect: "allow", reason: "allowed_by_list" });
});

test("an action off the agent's list is denied (not_on_list)", async ({ request }) => {
  const response = await request.post("/api/v1/decisions", {
    headers: { authorization: `Bearer ${demoKey("support-triage")}` },
    data: { action: "github.pr.merge", resource: "acme/api#12", reasoning },
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ effect: "deny", reason: "not_on_list", decisionId: expect.any(String) });
});

test("GET /agent answers who the key belongs to", async ({ request }) => {
  const response = await request.get("/api/v1/agent", { headers: { authorization: `Bearer ${demoKey("support-triage")}` } });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ slug: "support-triage", status: "active", listVersion: expect.any(Number), owners: expect.any(Array) });
});

for (const [name, headers] of [
  ["no key", {}],
  ["an unknown key", { authorization: `Bearer mnd_ZZZZZZZZZZZZ_${"A".repeat(43)}` }],
] as const) {
  test(`${name} → 401 problem+json`, async ({ request }) => {
    const response = await request.post("/api/v1/decisions", { headers, data: { action: "helpdesk.ticket.read", reasoning } });
    expect(response.status()).toBe(401);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ status: 401, code: "unauthorized" });
  });
}

test("openapi.json documents /decisions and /agent", async ({ request }) => {
  const document = await (await request.get("/api/v1/openapi.json")).json();
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/decisions", "/agent"]));
  expect(document.paths["/decisions"].post.security).toEqual([{ bearerAuth: [] }]);
  expect(Object.keys(document.paths["/decisions"].post.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "413"]));
});
