// Kill drills from the agent's side, through real HTTP: a drill an owner starts shows up in the
// status poll and stream at once; POST /agent/drills/:id/ack records the latency measured by the
// database and passes or fails it against the threshold; a second ack is 409; another agent's key,
// an unknown id or a malformed one is 404 and changes nothing. A draft agent can be drilled (its
// status says suspended, with the drill). The SDK's watcher acknowledges a drill by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { startDrill } from "@/lib/kill/start-drill";
import { Mandate, type MandateEvent } from "@/sdk/src/index";
import { call, sleep, startTwoPlanes, stopTwoPlanes, type Plane } from "./decide-harness";
import { makeAgent, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;

beforeAll(async () => ({ a, b, org } = await startTwoPlanes()));
afterAll(() => stopTwoPlanes(a, b));

const drill = (agentId: string, thresholdMs?: number) => startDrill(org.admin, org.actor, { agentId, ...(thresholdMs ? { thresholdMs } : {}) });
const ack = (plane: Plane, key: string, id: string) => call(plane, "POST", `/agent/drills/${id}/ack`, { key });
const statusOf = (plane: Plane, key: string, headers: Record<string, string> = {}) => call(plane, "GET", "/agent/status", { key, headers });

async function drillInStatus(plane: Plane, key: string, drillId: string) {
  await expect.poll(async () => (await statusOf(plane, key)).body.drill, { timeout: 1_000, interval: 20 }).toMatchObject({ id: drillId });
  return statusOf(plane, key);
}

describe("a drill on the status poll, then its acknowledgement", () => {
  it("appears in the status with its own ETag, passes on ack with the database's latency, and leaves the status", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const before = await statusOf(a, agent.key);
    // A generous threshold: this test is about the mechanism, not about how loaded the machine is.
    const started = await drill(agent.id, 10_000);
    const withDrill = await drillInStatus(a, agent.key, started.drillId);
    expect(withDrill.body).toMatchObject({ state: "active", drill: { id: started.drillId, thresholdMs: 10_000, startedAt: started.startedAt.toISOString() } });
    expect(withDrill.body.version).toBe(Number(before.body.version) + 1);
    const etag = withDrill.headers.get("etag")!;
    expect(etag).toBe(`"${String(withDrill.body.version)}.${started.drillId}"`);

    const answer = await ack(b, agent.key, started.drillId);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ drillId: started.drillId, status: "passed", thresholdMs: 10_000 });
    const latencyMs = Number(answer.body.latencyMs);
    expect(latencyMs).toBeGreaterThanOrEqual(0);
    expect(latencyMs).toBeLessThanOrEqual(10_000);

    const row = await db().killDrill.findUniqueOrThrow({ where: { id: started.drillId } });
    expect(row).toMatchObject({ status: "passed", latencyMs });
    expect(row.acknowledgedAt!.getTime() - row.startedAt.getTime()).toBe(latencyMs);
    const audit = await db().auditEvent.findFirst({ where: { type: "kill_drill.acknowledged", subjectId: started.drillId } });
    expect(audit).toMatchObject({ actorType: "agent", actorAgentId: agent.id, agentId: agent.id });

    // Gone from the body, and the old ETag no longer matches, though no version moved.
    await expect.poll(async () => (await statusOf(a, agent.key)).body.drill, { timeout: 1_000, interval: 20 }).toBeUndefined();
    const after = await statusOf(a, agent.key, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.body.version).toBe(withDrill.body.version);
  });

  it("fails a drill acknowledged after its threshold", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const started = await drill(agent.id, 100);
    await drillInStatus(b, agent.key, started.drillId);
    await sleep(250);
    const answer = await ack(b, agent.key, started.drillId);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "failed", thresholdMs: 100 });
    expect(Number(answer.body.latencyMs)).toBeGreaterThan(100);
    expect(await db().killDrill.findUniqueOrThrow({ where: { id: started.drillId } })).toMatchObject({ status: "failed" });
  });

  it("refuses a second acknowledgement with 409, also two sent at once", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const started = await drill(agent.id);
    const both = await Promise.all([ack(a, agent.key, started.drillId), ack(b, agent.key, started.drillId)]);
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const again = await ack(a, agent.key, started.drillId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "conflict" });
    expect(await db().auditEvent.count({ where: { type: "kill_drill.acknowledged", subjectId: started.drillId } })).toBe(1);
  });

  it("answers 404 for another agent's drill, an unknown id and a malformed one, and changes nothing", async () => {
    const owner = await makeAgent(org, { lines: [] });
    const stranger = await makeAgent(org, { lines: [] });
    const started = await drill(owner.id);
    const notFound = [
      await ack(a, stranger.key, started.drillId),
      await ack(a, stranger.key, "5b0c7f9e-3a55-4b8e-9d1c-6f1e2a3b4c5d"),
      await ack(b, owner.key, "5b0c7f9e-3a55-4b8e-9d1c-6f1e2a3b4c5d"),
      await ack(b, owner.key, "not-a-drill"),
      await ack(b, owner.key, "%27%20or%201%3D1"),
    ];
    for (const answer of notFound) {
      expect(answer.status, answer.text).toBe(404);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ code: "not_found", detail: "No such kill drill for this agent." });
    }
    expect(await db().killDrill.findUniqueOrThrow({ where: { id: started.drillId } })).toMatchObject({ status: "pending", acknowledgedAt: null, latencyMs: null });
    expect((await call(a, "POST", `/agent/drills/${started.drillId}/ack`, { key: null })).status).toBe(401);
    // The owner's own ack still works after all that.
    expect((await ack(a, owner.key, started.drillId)).body).toMatchObject({ status: "passed" });
  });

  it("drills a draft agent before it goes live: suspended with the drill, acknowledged by its key", async () => {
    const agent = await makeAgent(org, { status: "draft", lines: [] });
    const started = await drill(agent.id, 10_000);
    const status = await drillInStatus(b, agent.key, started.drillId);
    expect(status.body).toMatchObject({ state: "suspended", drill: { id: started.drillId, thresholdMs: 10_000 } });
    expect((await ack(a, agent.key, started.drillId)).body).toMatchObject({ status: "passed" });
  });

  it("refuses an expired drill (a newer one replaced it) with 409", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const first = await drill(agent.id);
    const second = await drill(agent.id);
    expect((await ack(a, agent.key, first.drillId)).status).toBe(409);
    expect((await drillInStatus(a, agent.key, second.drillId)).body.drill).toMatchObject({ id: second.drillId });
  });
});

describe("the SDK acknowledges drills by itself", () => {
  it("on an active agent, within the threshold, without stopping it", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const events: MandateEvent[] = [];
    const watcher = new Mandate({ url: a.url, key: agent.key, onEvent: (event) => events.push(event) }).watch();
    try {
      await watcher.ready;
      const started = await drill(agent.id, 10_000);
      await expect.poll(async () => (await db().killDrill.findUniqueOrThrow({ where: { id: started.drillId } })).status, { timeout: 2_000 }).toBe("passed");
      expect(events.some((event) => event.type === "drill.acknowledged" && event.drillId === started.drillId)).toBe(true);
      expect(watcher.signal.aborted).toBe(false);
    } finally {
      watcher.stop();
    }
  });

});
