// What the kill switch does to the agent API, through real HTTP on two data-plane instances with
// their own caches and LISTEN connections: no decision that starts after a kill (or stop-all, or
// capability kill) has been answered is allowed on either instance — also under load — while a
// gracefully killed agent may still report the outcome of work it was allowed to do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { killAgent } from "@/lib/kill/kill-agent";
import { killCapability, restoreCapability } from "@/lib/kill/kill-capability";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";
import { ask, call, startTwoPlanes, stopTwoPlanes, waitFor, type Plane } from "./decide-harness";
import { makeAgent, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;

beforeAll(async () => ({ a, b, org } = await startTwoPlanes()));
afterAll(() => stopTwoPlanes(a, b));

const decide = async (plane: Plane, key: string, action: string) => {
  const answer = await call(plane, "POST", "/decisions", { key, body: ask(action) });
  return { status: answer.status, effect: answer.body.effect as string | undefined, reason: answer.body.reason as string | undefined, decisionId: answer.body.decisionId as string };
};

/** Both instances have answered (and cached) an allow for this agent and action. */
async function warm(key: string, action: string) {
  for (const plane of [a, b, a, b]) expect((await decide(plane, key, action)).effect).toBe("allow");
}

const STOPPED = ["agent_killed", "state_changed"];

describe("killing an agent", () => {
  it("graceful: the next decision on either instance is denied; outcomes of earlier allows are still reported", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    await warm(agent.key, "t.doc.read");
    const earlier = await decide(a, agent.key, "t.doc.read");
    expect(earlier.effect).toBe("allow");

    await killAgent(org.admin, org.actor, { agentId: agent.id });
    for (const plane of [a, b]) {
      const next = await decide(plane, agent.key, "t.doc.read");
      expect(next.status).toBe(200);
      expect(next.effect).toBe("deny");
      expect(STOPPED).toContain(next.reason);
    }
    await waitFor(async () => (await decide(b, agent.key, "t.doc.read")).reason === "agent_killed", 1_000);

    const outcome = await call(b, "POST", `/decisions/${earlier.decisionId}/outcome`, { key: agent.key, body: { status: "succeeded", summary: "Finished the read." } });
    expect(outcome.status).toBe(200);
    expect((await db().decision.findUniqueOrThrow({ where: { id: earlier.decisionId } })).outcomeStatus).toBe("succeeded");
  });

  it("forced: the key is refused on both instances at once", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    await warm(agent.key, "t.doc.read");
    const earlier = await decide(b, agent.key, "t.doc.read");
    await killAgent(org.admin, org.actor, { agentId: agent.id, mode: "forced" });
    for (const plane of [a, b]) {
      const next = await call(plane, "POST", "/decisions", { key: agent.key, body: ask("t.doc.read") });
      // Refused outright (401) or, if a cached key won the race with the notification, denied.
      expect(next.status === 401 || next.body.effect === "deny", next.text).toBe(true);
    }
    await waitFor(async () => (await call(b, "GET", "/agent", { key: agent.key })).status === 401, 1_000);
    const outcome = await call(b, "POST", `/decisions/${earlier.decisionId}/outcome`, { key: agent.key, body: { status: "succeeded" } });
    expect(outcome.status).toBe(401);
  });

  it("allows nothing that starts after the kill was answered, under load on two instances", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    const log: Array<{ startedAt: number; effect: string | undefined; status: number }> = [];
    let running = true;
    const workers = Array.from({ length: 8 }, async (_, i) => {
      const plane = i % 2 ? a : b;
      while (running) {
        const startedAt = performance.now();
        const answer = await decide(plane, agent.key, "t.doc.read");
        log.push({ startedAt, effect: answer.effect, status: answer.status });
      }
    });
    try {
      await waitFor(() => log.filter((entry) => entry.effect === "allow").length >= 40, 5_000);
      await killAgent(org.admin, org.actor, { agentId: agent.id });
      const answeredAt = performance.now();
      const cut = log.length;
      await waitFor(() => log.length >= cut + 80, 10_000);
      running = false;
      await Promise.all(workers);

      const after = log.filter((entry) => entry.startedAt > answeredAt);
      expect(after.length).toBeGreaterThan(40);
      expect(after.filter((entry) => entry.effect !== "deny")).toEqual([]);
      // And the database agrees: every allow it holds was decided before the kill committed.
      const change = await db().stateChange.findFirstOrThrow({ where: { agentId: agent.id, kind: "kill" } });
      expect(await db().decision.count({ where: { agentId: agent.id, effect: "allow", createdAt: { gt: change.createdAt } } })).toBe(0);
    } finally {
      running = false;
      await Promise.all(workers);
    }
  });
});

describe("stopping the fleet", () => {
  it("denies every agent on both instances until an admin resumes", async () => {
    const one = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    const two = await makeAgent(org, { lines: [{ action: "t.doc.list" }] });
    await warm(one.key, "t.doc.read");
    await warm(two.key, "t.doc.list");
    await stopAll(org.admin, org.actor, { reason: "Incident drill." });
    try {
      for (const plane of [a, b]) {
        for (const [key, action] of [[one.key, "t.doc.read"], [two.key, "t.doc.list"]] as const) {
          expect((await decide(plane, key, action)).effect).toBe("deny");
        }
      }
    } finally {
      await resumeAll(org.admin, org.actor, { reason: "Drill over." });
    }
    await waitFor(async () => (await decide(b, two.key, "t.doc.list")).effect === "allow", 1_000);
    expect((await decide(a, one.key, "t.doc.read")).effect).toBe("allow");
  });
});

describe("killing a capability", () => {
  it("for one agent: that action is denied for it, its other actions and other agents are not", async () => {
    const target = await makeAgent(org, { lines: [{ action: "t.doc.read" }, { action: "t.doc.write" }] });
    const bystander = await makeAgent(org, { lines: [{ action: "t.doc.write" }] });
    await warm(target.key, "t.doc.write");
    await warm(bystander.key, "t.doc.write");
    const kill = await killCapability(org.admin, org.actor, { capability: "t.doc.write", agentId: target.id });
    for (const plane of [a, b]) expect((await decide(plane, target.key, "t.doc.write")).effect).toBe("deny");
    await waitFor(async () => (await decide(b, target.key, "t.doc.write")).reason === "capability_killed", 1_000);
    await waitFor(async () => (await decide(b, target.key, "t.doc.read")).effect === "allow", 1_000);
    expect((await decide(a, bystander.key, "t.doc.write")).effect).toBe("allow");

    await restoreCapability(org.admin, org.actor, { killId: kill.killId });
    await waitFor(async () => (await decide(b, target.key, "t.doc.write")).effect === "allow", 1_000);
  });

  it("for every agent, by category: denied for all of them on both instances", async () => {
    const one = await makeAgent(org, { lines: [{ action: "t.doc.delete" }, { action: "t.doc.read" }] });
    const two = await makeAgent(org, { lines: [{ action: "t.doc.delete" }] });
    await warm(one.key, "t.doc.delete");
    await warm(two.key, "t.doc.delete");
    const kill = await killCapability(org.admin, org.actor, { capability: "delete" });
    try {
      for (const plane of [a, b]) {
        expect((await decide(plane, one.key, "t.doc.delete")).effect).toBe("deny");
        expect((await decide(plane, two.key, "t.doc.delete")).effect).toBe("deny");
      }
      await waitFor(async () => (await decide(b, one.key, "t.doc.read")).effect === "allow", 1_000);
    } finally {
      await restoreCapability(org.admin, org.actor, { killId: kill.killId });
    }
  });
});
