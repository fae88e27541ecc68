// Console route handlers refuse requests another site makes the browser send — before anything
// else runs, so no session is needed to show it. SameSite=Lax cookies still ride along on a
// cross-site top-level GET, and some console GETs record something (an audit export, a
// checkpoint opening): a link on another site must not make a person do those.
import { describe, expect, it } from "vitest";
import { withConsoleRoute } from "@/lib/auth/guard";

let ran = 0;
const route = withConsoleRoute("audit.export", async () => {
  ran += 1;
  return new Response("exported");
});
const context = { params: Promise.resolve({}) };

async function refusal(init: RequestInit & { headers: Record<string, string> }) {
  const response = await route(new Request("http://console.example/audit/export?format=csv", init), context);
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as { code: string } };
}

describe("withConsoleRoute and other sites", () => {
  it("refuses a cross-site GET (a link or redirect from another site) with a 403 problem", async () => {
    const answer = await refusal({ headers: { "sec-fetch-site": "cross-site", host: "console.example" } });
    expect(answer).toMatchObject({ status: 403, type: "application/problem+json", body: { code: "forbidden" } });
    expect(ran).toBe(0);
  });

  it("refuses a cross-site write by its Origin", async () => {
    const answer = await refusal({ method: "POST", headers: { origin: "https://evil.example", host: "console.example" } });
    expect(answer).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(ran).toBe(0);
  });
});
