// GET /api/v1/agent/status through real HTTP on two data-plane instances: the body in every state
// (changed through the console's own use cases), ETag / If-None-Match → 304, and the long-poll
// (?wait=) that answers as soon as the status changes — also when the instance holding it is not
// the one whose cache saw the agent first — and 304s when the wait runs out.
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeAgentStatus } from "@/lib/agents/change-agent-status";
import { buildAgentDataPlane } from "@/lib/http/dataplane/agent-data-plane";
import { statusRoute } from "@/lib/http/dataplane/routes/agent-status";
import { DRAFT_REASON } from "@/lib/kill/agent-status";
import { killAgent } from "@/lib/kill/kill-agent";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";
import { closeKillStatus } from "@/lib/kill/status-services";
import { call, startTwoPlanes, stopTwoPlanes, type Plane } from "./decide-harness";
import { makeAgent, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;

beforeAll(async () => ({ a, b, org } = await startTwoPlanes()));
afterAll(() => stopTwoPlanes(a, b));

const status = (plane: Plane, key: string, query = "", headers: Record<string, string> = {}) => call(plane, "GET", `/agent/status${query}`, { key, headers });
const kill = (agentId: string, mode: "graceful" | "forced", reason?: string) => killAgent(org.admin, org.actor, { agentId, mode, reason });
/** The status once the change has reached this instance — it must within a second. */
async function settled(plane: Plane, key: string, expected: Record<string, unknown>) {
  await expect.poll(async () => (await status(plane, key)).body, { timeout: 1_000, interval: 20 }).toMatchObject(expected);
  return status(plane, key);
}
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("the status body in each state", () => {
  it("says active, with since and a numeric version, and nothing else", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const answer = await status(a, agent.key);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(answer.body).sort()).toEqual(["since", "state", "version"]);
    expect(answer.body.state).toBe("active");
    expect(answer.body.since).toMatch(ISO);
    expect(answer.body.version).toEqual(expect.any(Number));
    expect(answer.headers.get("etag")).toBe(`"${String(answer.body.version)}"`);
  });

  it("says killed with the mode and reason of a graceful kill, and the killed agent's key still reads it", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const before = await status(a, agent.key);
    await kill(agent.id, "graceful", "Sent the wrong refunds");
    for (const plane of [a, b]) {
      const answer = await settled(plane, agent.key, { state: "killed", mode: "graceful", reason: "Sent the wrong refunds", scope: "agent" });
      expect(answer.status).toBe(200);
      expect(answer.body.version).toBe(Number(before.body.version) + 1);
      expect(Date.parse(String(answer.body.since))).toBeGreaterThan(Date.parse(String(before.body.since)));
    }
  });

  it("tells a forced kill to a request already waiting, then refuses the revoked key", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const first = await status(b, agent.key);
    const etag = first.headers.get("etag")!;
    const waiting = status(b, agent.key, "?wait=10", { "if-none-match": etag });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await kill(agent.id, "forced", "Runaway");
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: "killed", mode: "forced", reason: "Runaway", scope: "agent" });
    for (const plane of [a, b]) await expect.poll(async () => (await status(plane, agent.key)).status, { timeout: 1_000, interval: 20 }).toBe(401);
  });

  it("says suspended with the reason, and suspended for a draft", async () => {
    const agent = await makeAgent(org, { lines: [] });
    await changeAgentStatus(org.admin, org.actor, { agentId: agent.id, to: "suspended", reason: "Odd behaviour overnight" });
    await settled(a, agent.key, { state: "suspended", reason: "Odd behaviour overnight", scope: "agent" });
    const draft = await makeAgent(org, { status: "draft", lines: [] });
    expect((await status(b, draft.key)).body).toMatchObject({ state: "suspended", reason: DRAFT_REASON });
  });

  it("says retired for a retired agent", async () => {
    const agent = await makeAgent(org, { status: "retired", lines: [] });
    const answer = await status(a, agent.key);
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe("retired");
    expect(answer.body.mode).toBeUndefined();
  });

  it("says killed by the fleet while every agent is stopped, then active again with a higher version", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const killedAlready = await makeAgent(org, { lines: [] });
    await kill(killedAlready.id, "graceful", "Its own kill");
    const before = await status(a, agent.key);
    await stopAll(org.admin, org.actor, { mode: "forced", reason: "Incident 42" });
    try {
      for (const plane of [a, b]) {
        const answer = await settled(plane, agent.key, { state: "killed", mode: "forced", reason: "Incident 42", scope: "fleet" });
        expect(answer.body.version).toBe(Number(before.body.version) + 1);
        // An agent's own kill says more than the fleet's.
        expect((await status(plane, killedAlready.key)).body).toMatchObject({ state: "killed", mode: "graceful", reason: "Its own kill", scope: "agent" });
      }
    } finally {
      await resumeAll(org.admin, org.actor, { reason: "Incident over" });
    }
    const after = await settled(b, agent.key, { state: "active" });
    expect(after.body.version).toBe(Number(before.body.version) + 2);
  });
});

describe("ETag and If-None-Match", () => {
  it("answers 304 with the ETag and no body while nothing changed, in every accepted spelling", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const first = await status(a, agent.key);
    const etag = first.headers.get("etag")!;
    for (const header of [etag, `W/${etag}`, `"nope", ${etag}`, "*"]) {
      for (const plane of [a, b]) {
        const answer = await status(plane, agent.key, "", { "if-none-match": header });
        expect(answer.status, header).toBe(304);
        expect(answer.text).toBe("");
        expect(answer.headers.get("etag")).toBe(etag);
      }
    }
    const stale = await status(a, agent.key, "", { "if-none-match": '"1"' });
    expect(stale.status).toBe(200);
    expect(stale.body.state).toBe("active");
  });

  it("answers 200 with the new ETag once the state changed", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const etag = (await status(a, agent.key)).headers.get("etag")!;
    await changeAgentStatus(org.admin, org.actor, { agentId: agent.id, to: "suspended", reason: "Checking something" });
    await expect.poll(async () => (await status(a, agent.key, "", { "if-none-match": etag })).status, { timeout: 1_000, interval: 20 }).toBe(200);
    const answer = await status(a, agent.key, "", { "if-none-match": etag });
    expect(answer.headers.get("etag")).not.toBe(etag);
    expect(answer.body.state).toBe("suspended");
  });
});

describe("long-poll", () => {
  it("answers as soon as the state changes, on the instance holding the wait", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const etag = (await status(a, agent.key)).headers.get("etag")!;
    const changes = [
      { plane: b, state: "suspended", change: () => changeAgentStatus(org.admin, org.actor, { agentId: agent.id, to: "suspended", reason: "Long-poll check" }) },
      { plane: a, state: "killed", change: () => kill(agent.id, "graceful") },
    ];
    for (const { plane, state, change } of changes) {
      const current = (await status(plane, agent.key)).headers.get("etag")!;
      const started = performance.now();
      const waiting = status(plane, agent.key, "?wait=20", { "if-none-match": current });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await change();
      const changedAt = performance.now();
      const answer = await waiting;
      const took = performance.now() - changedAt;
      expect(answer.status).toBe(200);
      expect(answer.body.state).toBe(state);
      expect(took, `answered ${took.toFixed(0)} ms after the change`).toBeLessThan(1_000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    }
    expect((await status(a, agent.key)).headers.get("etag")).not.toBe(etag);
  });

  it("holds the answer for the wait and then says 304 when nothing changed", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const etag = (await status(b, agent.key)).headers.get("etag")!;
    const started = performance.now();
    const answer = await status(b, agent.key, "?wait=1", { "if-none-match": etag });
    const took = performance.now() - started;
    expect(answer.status).toBe(304);
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(2_500);
  });

  it("answers at once without If-None-Match, or when the ETag is already stale", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const variants: Array<Record<string, string>> = [{}, { "if-none-match": '"0"' }];
    for (const headers of variants) {
      const started = performance.now();
      const answer = await status(a, agent.key, "?wait=20", headers);
      expect(answer.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it("refuses a malformed wait with 400 and the field, and an unknown key with 401", async () => {
    const agent = await makeAgent(org, { lines: [] });
    for (const wait of ["31", "-1", "abc", "1.5", "1e9"]) {
      const answer = await status(a, agent.key, `?wait=${wait}`);
      expect(answer.status, wait).toBe(400);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ code: "validation_failed" });
      expect(JSON.stringify(answer.body.errors)).toContain("query.wait");
    }
    const refused = await call(a, "GET", "/agent/status", { key: null });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: "unauthorized" });
  });

  it("lets go of the waiter when the client hangs up", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const etag = (await status(a, agent.key)).headers.get("etag")!;
    const { killStatusFor } = await import("@/lib/kill/status-services");
    const hub = killStatusFor(a.pool).hub;
    const controller = new AbortController();
    const held = fetch(`${a.url}/api/v1/agent/status?wait=20`, { headers: { authorization: `Bearer ${agent.key}`, "if-none-match": etag }, signal: controller.signal }).catch(
      () => "aborted",
    );
    await expect.poll(() => hub.listenerCount(agent.id), { timeout: 2_000 }).toBe(1);
    controller.abort();
    expect(await held).toBe("aborted");
    await expect.poll(() => hub.listenerCount(agent.id), { timeout: 2_000 }).toBe(0);
  });
});

describe("without change notifications", () => {
  it("trusts no cached status and still ends a long-poll within about a second of a kill", async () => {
    // A change feed that never hears anything, as while the LISTEN connection is down.
    const deaf = { subscribe: () => () => {}, listening: () => false };
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    const app = buildAgentDataPlane({ pool, logger: false, routes: [statusRoute({ changes: deaf, fallbackPollMs: 200 })] });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const plane = { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
    try {
      const agent = await makeAgent(org, { lines: [] });
      const etag = (await call(plane, "GET", "/agent/status", { key: agent.key })).headers.get("etag")!;
      const waiting = call(plane, "GET", "/agent/status?wait=20", { key: agent.key, headers: { "if-none-match": etag } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await kill(agent.id, "graceful", "Nobody is listening");
      const answeredAt = performance.now();
      // A plain poll reads the database at once.
      expect((await call(plane, "GET", "/agent/status", { key: agent.key })).body).toMatchObject({ state: "killed" });
      const answer = await waiting;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ state: "killed", reason: "Nobody is listening" });
      expect(performance.now() - answeredAt).toBeLessThan(1_500);
    } finally {
      closeKillStatus(pool);
      app.server.closeAllConnections();
      await app.close();
      await pool.end();
    }
  });
});
