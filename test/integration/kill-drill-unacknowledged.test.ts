// A kill drill nobody acknowledges fails once the acknowledgement window has passed: the sweeper
// marks it failed (no latency), audits it as the system, and the drill leaves the status body on
// every instance; a late acknowledgement is then a 409. Drills still inside the window, and
// drills already acknowledged, are left alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCheckpointSweeper } from "@/lib/approvals/checkpoint-sweeper";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { failUnacknowledgedDrills } from "@/lib/kill/fail-unacknowledged-drills";
import { startDrill } from "@/lib/kill/start-drill";
import { call, startTwoPlanes, stopTwoPlanes, type Plane } from "./decide-harness";
import { makeAgent, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;

beforeAll(async () => ({ a, b, org } = await startTwoPlanes()));
afterAll(() => stopTwoPlanes(a, b));

const WINDOW_MS = 300_000;
const statusOf = (plane: Plane, key: string) => call(plane, "GET", "/agent/status", { key });
const at = (start: Date, offsetMs: number) => new Date(start.getTime() + offsetMs);

describe("a drill nobody acknowledges", () => {
  it("stays pending inside the window, then fails, is audited, leaves the status and refuses a late ack", async () => {
    const agent = await makeAgent(org, { lines: [] });
    const drill = await startDrill(org.admin, org.actor, { agentId: agent.id });
    await expect.poll(async () => (await statusOf(a, agent.key)).body.drill, { timeout: 1_000, interval: 20 }).toMatchObject({ id: drill.drillId });

    expect(await failUnacknowledgedDrills(pool(), { now: at(drill.startedAt, WINDOW_MS - 1_000), windowMs: WINDOW_MS })).toEqual([]);
    expect(await db().killDrill.findUniqueOrThrow({ where: { id: drill.drillId } })).toMatchObject({ status: "pending" });

    const failed = await failUnacknowledgedDrills(pool(), { now: at(drill.startedAt, WINDOW_MS + 1_000), windowMs: WINDOW_MS });
    expect(failed).toEqual([{ id: drill.drillId, agentId: agent.id }]);
    expect(await db().killDrill.findUniqueOrThrow({ where: { id: drill.drillId } })).toMatchObject({ status: "failed", latencyMs: null, acknowledgedAt: null });
    const audit = await db().auditEvent.findMany({ where: { type: "kill_drill.unacknowledged", subjectId: drill.drillId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "system", agentId: agent.id, subjectType: "kill_drill", data: { before: { status: "pending" }, after: { status: "failed" }, waitedSeconds: 300 } });

    // Both instances hear it (NOTIFY at commit) and drop the drill from the body.
    for (const plane of [a, b]) await expect.poll(async () => (await statusOf(plane, agent.key)).body.drill, { timeout: 1_000, interval: 20 }).toBeUndefined();
    const late = await call(b, "POST", `/agent/drills/${drill.drillId}/ack`, { key: agent.key });
    expect(late.status).toBe(409);
    expect(String(late.body.detail)).toContain("failed");

    // Once failed, a second sweep finds nothing and writes nothing.
    expect(await failUnacknowledgedDrills(pool(), { now: at(drill.startedAt, WINDOW_MS * 2), windowMs: WINDOW_MS })).toEqual([]);
    expect(await db().auditEvent.count({ where: { type: "kill_drill.unacknowledged", subjectId: drill.drillId } })).toBe(1);
  });

  it("is failed by the periodic sweeper with the default window; an acknowledged drill is not", async () => {
    const silent = await makeAgent(org, { lines: [] });
    const answering = await makeAgent(org, { lines: [] });
    const unanswered = await startDrill(org.admin, org.actor, { agentId: silent.id });
    const answered = await startDrill(org.admin, org.actor, { agentId: answering.id, thresholdMs: 30_000 });
    await expect.poll(async () => (await statusOf(a, answering.key)).body.drill, { timeout: 1_000, interval: 20 }).toMatchObject({ id: answered.drillId });
    expect((await call(a, "POST", `/agent/drills/${answered.drillId}/ack`, { key: answering.key })).status).toBe(200);

    const sweeper = startCheckpointSweeper({ intervalMs: 3_600_000 });
    try {
      await sweeper.runOnce(at(unanswered.startedAt, 301_000));
    } finally {
      await sweeper.stop();
    }
    expect(await db().killDrill.findUniqueOrThrow({ where: { id: unanswered.drillId } })).toMatchObject({ status: "failed" });
    expect(await db().killDrill.findUniqueOrThrow({ where: { id: answered.drillId } })).toMatchObject({ status: "passed" });
  });
});
