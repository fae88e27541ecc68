// The group-commit decision writer on a real PostgreSQL: every answer is a committed decision with
// its audit row, batches really group, the kill guard turns stale allows into denials, and any
// failure rejects (never allows).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { newDecisionId } from "@/lib/decisions/decision-id";
import { DecisionWriteError, type DecisionEntry, type WrittenDecision } from "@/lib/decisions/decision-entry";
import { createDecisionWriter, createWriterPool, type DecisionWriter, type FlushInfo } from "@/lib/decisions/group-commit";
import { lockDecisionState } from "@/lib/decisions/lock-decision-state";

let personId: string;
const writers: DecisionWriter[] = [];

function newWriter(options: { maxQueue?: number; url?: string; onFlush?: (info: FlushInfo) => void } = {}): DecisionWriter {
  const writer = createDecisionWriter({
    pool: createWriterPool(options.url ?? process.env.DATABASE_URL!),
    ownsPool: true,
    maxQueue: options.maxQueue,
    onFlush: options.onFlush,
  });
  writers.push(writer);
  return writer;
}

async function newAgent(): Promise<{ id: string; stateVersion: number }> {
  const agent = await db().agent.create({
    data: { slug: `gc-${randomUUID().slice(0, 8)}`, name: "Writer test agent", purpose: "tests", status: "active", deployedById: personId },
  });
  return { id: agent.id, stateVersion: agent.stateVersion };
}

async function fleetVersion(): Promise<number> {
  return (await db().fleetState.findUniqueOrThrow({ where: { id: 1 } })).version;
}

function entry(agent: { id: string; stateVersion: number }, fleet: number, effect: "allow" | "deny" | "pending" = "allow"): DecisionEntry {
  return {
    decision: {
      id: newDecisionId(),
      agentId: agent.id,
      action: "crm.read",
      resource: "contacts/42",
      params: { fields: ["name", "email"] },
      instruction: "Summarise the customer's last order.",
      considered: ["read the contact", "ask the user"],
      chosen: "read the contact",
      rationale: "The contact holds the order history.",
      traceId: "trace-1",
      effect,
      reason: effect === "deny" ? "not_on_list" : effect === "pending" ? "requires_approval" : "allowed_by_list",
      ruleId: effect === "deny" ? null : "line-1",
      latencyMicros: 42,
      createdAt: new Date(),
    },
    audit: { requestId: `req-${randomUUID()}`, ip: "203.0.113.9", userAgent: "vitest", parentId: null },
    snapshot: { agentStateVersion: agent.stateVersion, fleetVersion: fleet },
    checkpoint:
      effect === "pending"
        ? { id: randomUUID(), digest: "a".repeat(64), requiredApprovals: 2, expiresAt: new Date(Date.now() + 900_000) }
        : null,
  };
}

/** Changes an agent's state the way the kill switch does: lock, bump the version, commit. */
async function setAgentStatus(agentId: string, status: "killed" | "active"): Promise<void> {
  await db().$transaction(async (tx) => {
    await lockDecisionState(tx, { agentIds: [agentId] });
    await tx.agent.update({ where: { id: agentId }, data: { status, stateVersion: { increment: 1 } } });
  });
}

async function setFleetStopped(stopped: boolean): Promise<void> {
  await db().$transaction(async (tx) => {
    await lockDecisionState(tx, { fleet: true });
    await tx.fleetState.update({ where: { id: 1 }, data: { stopped, version: { increment: 1 } } });
  });
}

beforeAll(async () => {
  personId = (await db().person.create({ data: { email: `writer-${randomUUID()}@example.test`, name: "Writer Owner" } })).id;
});

afterAll(async () => {
  await Promise.all(writers.map((writer) => writer.close().catch(() => {})));
});

describe("group commit", () => {
  it("commits 1,000 concurrent decisions, each with its audit row, in far fewer transactions", async () => {
    const agents = await Promise.all([newAgent(), newAgent(), newAgent()]);
    const fleet = await fleetVersion();
    const flushes: FlushInfo[] = [];
    const writer = newWriter({ onFlush: (info) => flushes.push(info) });
    const entries = Array.from({ length: 1_000 }, (_, index) => entry(agents[index % 3]!, fleet, index % 10 === 0 ? "deny" : "allow"));
    const results = await Promise.all(entries.map((value) => writer.enqueue(value)));

    expect(results.filter((result) => result.effect === "allow")).toHaveLength(900);
    expect(results.filter((result) => result.effect === "deny" && result.reason === "not_on_list")).toHaveLength(100);
    const ids = entries.map((value) => value.decision.id);
    expect(await db().decision.count({ where: { id: { in: ids } } })).toBe(1_000);
    expect(await db().auditEvent.count({ where: { type: "decision.made", subjectType: "decision", subjectId: { in: ids } } })).toBe(1_000);
    expect(flushes.every((flush) => flush.ok)).toBe(true);
    expect(flushes.reduce((sum, flush) => sum + flush.size, 0)).toBe(1_000);
    expect(flushes.length).toBeLessThanOrEqual(10);
    expect(writer.stats()).toMatchObject({ committed: 1_000, queued: 0, inFlight: 0 });
  });

  it("writes the decision and its audit row as the answer says", async () => {
    const agent = await newAgent();
    const writer = newWriter();
    const value = entry(agent, await fleetVersion());
    const written = await writer.enqueue(value);
    expect(written).toEqual({ effect: "allow", reason: "allowed_by_list", ruleId: "line-1", checkpointId: null, rewritten: false });
    const row = await db().decision.findUniqueOrThrow({ where: { id: value.decision.id } });
    expect(row).toMatchObject({ agentId: agent.id, effect: "allow", instruction: value.decision.instruction, params: value.decision.params, latencyMicros: 42 });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { subjectId: value.decision.id } });
    expect(audit).toMatchObject({
      actorType: "agent",
      actorAgentId: agent.id,
      agentId: agent.id,
      type: "decision.made",
      requestId: value.audit.requestId,
      ip: "203.0.113.9",
      userAgent: "vitest",
      traceId: "trace-1",
      data: { effect: "allow", reason: "allowed_by_list", ruleId: "line-1", action: "crm.read", resource: "contacts/42", params: value.decision.params },
      reasoning: { instruction: value.decision.instruction, considered: value.decision.considered, chosen: "read the contact", rationale: value.decision.rationale },
    });
    expect(audit.data).not.toHaveProperty("overridden");
    expect(audit.createdAt.getTime()).toBe(value.decision.createdAt.getTime());
  });

  it("commits a pending decision's checkpoint in the same batch", async () => {
    const agent = await newAgent();
    const writer = newWriter();
    const value = entry(agent, await fleetVersion(), "pending");
    const written = await writer.enqueue(value);
    expect(written).toMatchObject({ effect: "pending", checkpointId: value.checkpoint!.id });
    const checkpoint = await db().checkpoint.findUniqueOrThrow({ where: { id: value.checkpoint!.id } });
    expect(checkpoint).toMatchObject({ decisionId: value.decision.id, agentId: agent.id, status: "pending", requiredApprovals: 2, digest: "a".repeat(64) });
  });
});

describe("the kill guard", () => {
  it("denies an allow decided before a kill but written after it", async () => {
    const agent = await newAgent();
    const fleet = await fleetVersion();
    const writer = newWriter();
    // The snapshot is taken (as a cache would hold it), then the kill commits and is answered.
    const stale = [entry(agent, fleet, "allow"), entry(agent, fleet, "pending"), entry(agent, fleet, "deny")];
    await setAgentStatus(agent.id, "killed");
    const [allow, pending, deny] = await Promise.all(stale.map((value) => writer.enqueue(value)));
    expect(allow).toMatchObject({ effect: "deny", reason: "state_changed", rewritten: true });
    expect(pending).toMatchObject({ effect: "deny", reason: "state_changed", checkpointId: null, rewritten: true });
    expect(deny).toMatchObject({ effect: "deny", reason: "not_on_list", rewritten: false });
    const rows = await db().decision.findMany({ where: { id: { in: stale.map((value) => value.decision.id) } } });
    expect(rows.map((row) => [row.effect, row.reason]).sort()).toEqual([["deny", "not_on_list"], ["deny", "state_changed"], ["deny", "state_changed"]]);
    expect(await db().checkpoint.count({ where: { id: stale[1]!.checkpoint!.id } })).toBe(0);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { subjectId: stale[0]!.decision.id } });
    expect(audit.data).toEqual({
      effect: "deny",
      reason: "state_changed",
      ruleId: null,
      action: "crm.read",
      resource: "contacts/42",
      params: stale[0]!.decision.params,
      overridden: { effect: "allow", reason: "allowed_by_list", ruleId: "line-1" },
    });
  });

  it("denies allows while the fleet is stopped, and allows again once the snapshot is current", async () => {
    const agent = await newAgent();
    const writer = newWriter();
    const before = await fleetVersion();
    await setFleetStopped(true);
    try {
      expect(await writer.enqueue(entry(agent, before))).toMatchObject({ effect: "deny", reason: "state_changed" });
      // Even a snapshot taken after the stop cannot be allowed while the fleet is stopped.
      expect(await writer.enqueue(entry(agent, await fleetVersion()))).toMatchObject({ effect: "deny", reason: "state_changed" });
    } finally {
      await setFleetStopped(false);
    }
    expect(await writer.enqueue(entry(agent, before))).toMatchObject({ effect: "deny", reason: "state_changed" });
    expect(await writer.enqueue(entry(agent, await fleetVersion()))).toMatchObject({ effect: "allow" });
  });

  it("denies an allow whose delegating agent was killed", async () => {
    const [agent, delegator] = await Promise.all([newAgent(), newAgent()]);
    const writer = newWriter();
    const value = entry(agent, await fleetVersion());
    value.snapshot.delegators = [{ agentId: delegator.id, stateVersion: delegator.stateVersion }];
    await setAgentStatus(delegator.id, "killed");
    expect(await writer.enqueue(value)).toMatchObject({ effect: "deny", reason: "state_changed" });
  });

  it("orders flushes against a kill: a flush waiting on the kill's lock reads the killed state", async () => {
    const agent = await newAgent();
    const fleet = await fleetVersion();
    const writer = newWriter();
    const kill = await pool().connect();
    let settled: WrittenDecision | undefined;
    try {
      await kill.query("BEGIN");
      await lockDecisionState(kill, { agentIds: [agent.id] });
      // Decided on the current state, but its flush must wait for the kill in progress.
      const pending = writer.enqueue(entry(agent, fleet)).then((written) => (settled = written));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBeUndefined();
      await kill.query("UPDATE agent SET status = 'killed', state_version = state_version + 1 WHERE id = $1", [agent.id]);
      await kill.query("COMMIT");
      expect(await pending).toMatchObject({ effect: "deny", reason: "state_changed" });
    } finally {
      kill.release();
    }
  });

  it("does not hold row locks: other updates of the agent row never wait for flushes", async () => {
    const agent = await newAgent();
    const fleet = await fleetVersion();
    const writer = newWriter();
    const load = Promise.all(Array.from({ length: 300 }, () => writer.enqueue(entry(agent, fleet))));
    const started = performance.now();
    await db().agent.update({ where: { id: agent.id }, data: { lastSeenAt: new Date() } });
    const waited = performance.now() - started;
    await load;
    expect(waited).toBeLessThan(2_000);
  });
});

describe("failing closed", () => {
  it("rejects every decision when the database cannot be reached", async () => {
    const unreachable = new URL(process.env.DATABASE_URL!);
    unreachable.hostname = "127.0.0.1";
    unreachable.port = "1";
    const writer = newWriter({ url: unreachable.toString() });
    const agent = { id: randomUUID(), stateVersion: 1 };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => writer.enqueue(entry(agent, 1))));
    expect(results.every((result) => result.status === "rejected")).toBe(true);
    for (const result of results) {
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(DecisionWriteError);
      expect(reason).toMatchObject({ failure: "unavailable", code: "unavailable" });
    }
  });

  it("answers only what was committed when connections die mid-flush", async () => {
    const agent = await newAgent();
    const fleet = await fleetVersion();
    const writer = newWriter();
    const entries = Array.from({ length: 600 }, () => entry(agent, fleet));
    const settled = Promise.allSettled(entries.map((value) => writer.enqueue(value)));
    const kills: Array<Promise<unknown>> = [];
    const killer = setInterval(() => {
      const terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mandate-decision-writer' AND datname = current_database()";
      kills.push(pool().query(terminate).catch(() => {}));
    }, 5);
    const results = await settled.finally(() => clearInterval(killer));
    // None of them may reach the next test's writer.
    await Promise.all(kills);
    const allowed = entries.filter((_, index) => results[index]!.status === "fulfilled").map((value) => value.decision.id);
    const rejected = results.filter((result) => result.status === "rejected");
    for (const result of rejected) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DecisionWriteError);
    expect(rejected.length).toBeGreaterThan(0);
    // Every answer given is durable with its audit row; nothing else was answered.
    expect(await db().decision.count({ where: { id: { in: allowed } } })).toBe(allowed.length);
    expect(await db().auditEvent.count({ where: { subjectId: { in: allowed } } })).toBe(allowed.length);
  });

  it("rejects at once beyond its queue bound", async () => {
    const agent = await newAgent();
    const fleet = await fleetVersion();
    const writer = newWriter({ maxQueue: 10 });
    const blocker = await pool().connect();
    try {
      // Hold the fleet lock so the first flushes wait and the queue fills.
      await blocker.query("BEGIN");
      await lockDecisionState(blocker, { fleet: true });
      const first = [writer.enqueue(entry(agent, fleet))];
      await new Promise((resolve) => setTimeout(resolve, 50));
      first.push(writer.enqueue(entry(agent, fleet)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(writer.stats()).toMatchObject({ inFlight: 2, queued: 0 });
      const queued = Array.from({ length: 10 }, () => writer.enqueue(entry(agent, fleet)));
      await expect(writer.enqueue(entry(agent, fleet))).rejects.toMatchObject({ failure: "overloaded", code: "unavailable" });
      await blocker.query("COMMIT");
      const results = await Promise.all([...first, ...queued]);
      expect(results.every((result) => result.effect === "allow")).toBe(true);
      expect(writer.stats().overloaded).toBe(1);
    } finally {
      blocker.release();
    }
  });

  it("isolates an entry the database refuses, so the rest of its batch commits", async () => {
    const agent = await newAgent();
    const fleet = await fleetVersion();
    const writer = newWriter();
    const entries = Array.from({ length: 20 }, () => entry(agent, fleet));
    entries[7]!.decision.parentDecisionId = randomUUID(); // no such decision: a foreign-key violation
    const results = await Promise.allSettled(entries.map((value) => writer.enqueue(value)));
    expect(results[7]).toMatchObject({ status: "rejected", reason: { failure: "rejected", code: "unprocessable" } });
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(19);
    expect(await db().decision.count({ where: { id: { in: entries.map((value) => value.decision.id) } } })).toBe(19);
  });

  it("rejects a value PostgreSQL cannot store before it reaches a batch", async () => {
    const agent = await newAgent();
    const writer = newWriter();
    const value = entry(agent, await fleetVersion());
    value.decision.params = { note: "\u0000" };
    await expect(writer.enqueue(value)).rejects.toMatchObject({ failure: "rejected" });
    expect(writer.stats().flushes).toBe(0);
  });

  it("refuses new decisions once closed, after writing what was waiting", async () => {
    const agent = await newAgent();
    const writer = newWriter();
    const waiting = writer.enqueue(entry(agent, await fleetVersion()));
    await writer.close();
    expect(await waiting).toMatchObject({ effect: "allow" });
    await expect(writer.enqueue(entry(agent, 1))).rejects.toMatchObject({ failure: "closed" });
  });
});
