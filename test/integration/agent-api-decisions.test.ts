// POST /api/v1/decisions and GET /api/v1/agent through real HTTP against a real PostgreSQL: every
// effect and reason code, the rows committed before the answer, checkpoints bound to a canonical
// digest, the agent states that deny while GET /agent still answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeNotify, notifyChange } from "@/lib/db/notify";
import { checkpointDigest } from "@/lib/decisions/checkpoint-digest";
import { lockDecisionState } from "@/lib/decisions/lock-decision-state";
import { ask, call, startPlane, type Plane } from "./decide-harness";
import { auditRowOf, decisionRow, makeAgent, seedOrg, type Org, type TestAgent } from "./decide-fixtures";

let plane: Plane;
let org: Org;
let main: TestAgent;

beforeAll(async () => {
  org = await seedOrg();
  main = await makeAgent(org, {
    slug: "main",
    lines: [
      { action: "t.doc.read", conditions: { resource: "docs/*" } },
      { action: "t.doc.write", conditions: { params: { size: { max: 10 } } } },
      { action: "t.doc.delete", effect: "deny" },
      { action: "t.pay.send" },
      { action: "t.doc.list", perMinute: 2 },
    ],
  });
  plane = await startPlane();
});

afterAll(async () => {
  await plane.close();
  await closeNotify();
});

async function decideAs(agent: TestAgent, body: Record<string, unknown>) {
  const answer = await call(plane, "POST", "/decisions", { key: agent.key, body });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { decisionId: string; effect: string; reason: string; checkpointId?: string; expiresAt?: string };
}

describe("POST /decisions — effects and reasons", () => {
  it("allows an action on the list, and has the decision and its audit row committed before answering", async () => {
    const answer = await decideAs(main, ask("t.doc.read", { resource: "docs/1", params: { fields: ["title"] }, onBehalfOf: "user-7" }));
    expect(answer).toEqual({ decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/), effect: "allow", reason: "allowed_by_list" });
    // Read straight after the response: no waiting, no retry.
    const [row, audit] = await Promise.all([decisionRow(answer.decisionId), auditRowOf(answer.decisionId)]);
    expect(row).toMatchObject({
      agentId: main.id,
      credentialId: main.credentialId,
      action: "t.doc.read",
      resource: "docs/1",
      params: { fields: ["title"] },
      instruction: "Handle ticket 4711 for the customer.",
      considered: ["read it", "ask a person"],
      chosen: "read it",
      rationale: "The ticket has what I need.",
      onBehalfOf: "user-7",
      traceId: "trace-4711",
      effect: "allow",
      reason: "allowed_by_list",
      ruleId: main.lines["t.doc.read"],
    });
    expect(row!.latencyMicros).toBeGreaterThan(0);
    expect(audit).toMatchObject({ actorType: "agent", actorAgentId: main.id, agentId: main.id, traceId: "trace-4711" });
    expect(audit!.reasoning).toMatchObject({ instruction: "Handle ticket 4711 for the customer.", chosen: "read it" });
    expect(audit!.data).toMatchObject({ effect: "allow", reason: "allowed_by_list", action: "t.doc.read" });
  });

  const denials = [
    { name: "an action not on the list", body: ask("t.mail.send"), reason: "not_on_list" },
    { name: "a never line", body: ask("t.doc.delete"), reason: "never" },
    { name: "a resource outside the line's pattern", body: ask("t.doc.read", { resource: "secrets/1" }), reason: "condition_failed" },
    { name: "a parameter over the line's limit", body: ask("t.doc.write", { params: { size: 50 } }), reason: "condition_failed" },
    { name: "an action the catalog does not know", body: ask("t.nope.nothing"), reason: "unknown_action" },
  ];
  for (const { name, body, reason } of denials) {
    it(`denies ${name} (${reason}) and records it`, async () => {
      const answer = await decideAs(main, body);
      expect(answer).toEqual({ decisionId: expect.any(String), effect: "deny", reason });
      expect(await decisionRow(answer.decisionId)).toMatchObject({ effect: "deny", reason, action: body.action });
      expect(await auditRowOf(answer.decisionId)).not.toBeNull();
    });
  }

  it("caps an intern at reads (maturity_cap) and lets it read", async () => {
    const intern = await makeAgent(org, { maturity: "intern", lines: [{ action: "t.doc.read" }, { action: "t.doc.write" }] });
    expect(await decideAs(intern, ask("t.doc.write"))).toMatchObject({ effect: "deny", reason: "maturity_cap" });
    expect(await decideAs(intern, ask("t.doc.read"))).toMatchObject({ effect: "allow", reason: "allowed_by_list" });
  });

  it("makes a junior wait for approval on a write: pending with a checkpoint bound to the request's digest", async () => {
    const junior = await makeAgent(org, { maturity: "junior", lines: [{ action: "t.doc.write" }] });
    const started = Date.now();
    const answer = await decideAs(junior, ask("t.doc.write", { resource: "docs/9", params: { b: [1, 2], a: "x" } }));
    expect(answer).toMatchObject({ effect: "pending", reason: "maturity_approval", checkpointId: expect.any(String) });
    const expiresAt = Date.parse(answer.expiresAt!);
    expect(expiresAt - started).toBeGreaterThan(899_000);
    expect(expiresAt - started).toBeLessThan(905_000);
    const row = await decisionRow(answer.decisionId);
    expect(row!.checkpoint).toMatchObject({
      id: answer.checkpointId,
      agentId: junior.id,
      status: "pending",
      requiredApprovals: 1,
      permissionId: junior.lines["t.doc.write"],
      digest: checkpointDigest({ agentId: junior.id, action: "t.doc.write", resource: "docs/9", params: { a: "x", b: [1, 2] } }),
    });
    expect(row!.checkpoint!.expiresAt.toISOString()).toBe(answer.expiresAt);
  });

  it("binds each checkpoint to its own parameters: changed params are a new decision with another digest", async () => {
    const junior = await makeAgent(org, { maturity: "junior", lines: [{ action: "t.doc.write" }] });
    const first = await decideAs(junior, ask("t.doc.write", { params: { amount: 1, to: "a" } }));
    const reordered = await decideAs(junior, ask("t.doc.write", { params: { to: "a", amount: 1 } }));
    const changed = await decideAs(junior, ask("t.doc.write", { params: { amount: 2, to: "a" } }));
    const digest = async (answer: { decisionId: string }) => (await decisionRow(answer.decisionId))!.checkpoint!.digest;
    expect(new Set([first.checkpointId, reordered.checkpointId, changed.checkpointId]).size).toBe(3);
    expect(await digest(reordered)).toBe(await digest(first));
    expect(await digest(changed)).not.toBe(await digest(first));
  });

  it("lets a senior act (its owners are notified) without a checkpoint", async () => {
    const senior = await makeAgent(org, { maturity: "senior", lines: [{ action: "t.doc.write" }] });
    const answer = await decideAs(senior, ask("t.doc.write"));
    expect(answer).toEqual({ decisionId: expect.any(String), effect: "allow", reason: "allowed_by_list" });
    expect((await decisionRow(answer.decisionId))!.checkpoint).toBeNull();
  });

  it("raises an allowed financial action to a two-approver checkpoint by the global policy", async () => {
    const answer = await decideAs(main, ask("t.pay.send", { params: { amount: 10 } }));
    expect(answer).toMatchObject({ effect: "pending", reason: "policy_checkpoint", checkpointId: expect.any(String) });
    const row = await decisionRow(answer.decisionId);
    expect(row).toMatchObject({ ruleId: org.policyId });
    expect(row!.checkpoint).toMatchObject({ requiredApprovals: 2, policyId: org.policyId, permissionId: main.lines["t.pay.send"] });
    // The policy's own expiry (600 s), not the default.
    expect(row!.checkpoint!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(600_000);
  });

  it("denies past the line's rate limit (rate_limited), counting only what it allowed", async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await decideAs(main, ask("t.doc.list")));
    expect(answers.map((answer) => answer.reason)).toEqual(["allowed_by_list", "allowed_by_list", "rate_limited", "rate_limited"]);
    expect(await decisionRow(answers[2]!.decisionId)).toMatchObject({ effect: "deny", ruleId: main.lines["t.doc.list"] });
  });

  it("records a known parentDecisionId and refuses an unknown one with 422, writing nothing", async () => {
    const parent = await decideAs(main, ask("t.doc.read", { resource: "docs/2" }));
    const child = await decideAs(main, ask("t.doc.read", { resource: "docs/3", parentDecisionId: parent.decisionId }));
    expect(await decisionRow(child.decisionId)).toMatchObject({ parentDecisionId: parent.decisionId });
    expect(await auditRowOf(child.decisionId)).toMatchObject({ parentId: parent.decisionId });
    const before = await db().decision.count();
    const orphan = await call(plane, "POST", "/decisions", { key: main.key, body: ask("t.doc.read", { parentDecisionId: "0190a3c4-0000-7000-8000-000000000000" }) });
    expect(orphan.status).toBe(422);
    expect(orphan.body).toMatchObject({ code: "unprocessable", errors: [{ path: "parentDecisionId" }] });
    expect(await db().decision.count()).toBe(before);
  });

  it("denies a request under a delegation token that resolves to nothing, and records it", async () => {
    const answer = await decideAs(main, ask("t.doc.read", { resource: "docs/1", delegationToken: "not-a-delegation-token" }));
    expect(answer).toMatchObject({ effect: "deny", reason: "delegation_broken" });
    expect(await decisionRow(answer.decisionId)).toMatchObject({ effect: "deny", reason: "delegation_broken", delegationId: null });
  });

  it("lets the agent's own kill state win over a bad delegation token", async () => {
    const suspended = await makeAgent(org, { status: "suspended", lines: [{ action: "t.doc.read" }] });
    expect(await decideAs(suspended, ask("t.doc.read", { delegationToken: "not-a-delegation-token" }))).toMatchObject({ effect: "deny", reason: "agent_suspended" });
  });
});

describe("POST /decisions under a delegation", () => {
  it("allows what every agent in the chain may do and the delegation names, recording the whole chain", async () => {
    const parent = await makeAgent(org, { lines: [{ action: "t.doc.read" }, { action: "t.doc.write" }] });
    const child = await makeAgent(org, { lines: [{ action: "t.doc.read" }, { action: "t.doc.write" }] });
    const delegated = await call(plane, "POST", "/delegations", {
      key: parent.key,
      body: { toAgent: child.slug, actions: ["t.doc.read"], ttlSeconds: 600, reasoning: { instruction: "Let the helper read docs." } },
    });
    expect(delegated.status, delegated.text).toBe(201);
    const token = String(delegated.body.token);
    const answer = await decideAs(child, ask("t.doc.read", { resource: "docs/1", delegationToken: token, onBehalfOf: "user-9" }));
    expect(answer).toMatchObject({ effect: "allow", reason: "allowed_by_list" });
    expect(await decisionRow(answer.decisionId)).toMatchObject({
      agentId: child.id,
      delegationId: delegated.body.delegationId,
      onBehalfOf: "user-9",
      delegationChain: [
        { agentId: parent.id, agentSlug: parent.slug, delegationId: null },
        { agentId: child.id, agentSlug: child.slug, delegationId: delegated.body.delegationId },
      ],
    });
    // A child never exceeds its parent's delegation: t.doc.write is on both lists but not delegated.
    expect(await decideAs(child, ask("t.doc.write", { delegationToken: token }))).toMatchObject({ effect: "deny", reason: "delegation_scope" });
  });
});

describe("agents that may not act: every decision denied with the state, GET /agent still answers", () => {
  for (const status of ["suspended", "killed", "retired", "draft"] as const) {
    it(`${status}`, async () => {
      const agent = await makeAgent(org, { status, lines: [{ action: "t.doc.read" }] });
      expect(await decideAs(agent, ask("t.doc.read"))).toMatchObject({ effect: "deny", reason: `agent_${status}` });
      const me = await call(plane, "GET", "/agent", { key: agent.key });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: agent.id, status });
    });
  }

  it("denies everyone while the fleet is stopped (fleet_stopped), and allows again after", async () => {
    const setFleet = (stopped: boolean) =>
      db().$transaction(async (tx) => {
        await lockDecisionState(tx, { fleet: true });
        await tx.fleetState.update({ where: { id: 1 }, data: { stopped, version: { increment: 1 } } });
        await notifyChange(tx, { kind: "fleet" });
      });
    await setFleet(true);
    try {
      // The writer re-reads the fleet under lock, so even before the notification lands nothing is allowed.
      const answer = await decideAs(main, ask("t.doc.read", { resource: "docs/1" }));
      expect(answer.effect).toBe("deny");
      expect(["fleet_stopped", "state_changed"]).toContain(answer.reason);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await decideAs(main, ask("t.doc.read", { resource: "docs/1" }))).toMatchObject({ effect: "deny", reason: "fleet_stopped" });
    } finally {
      await setFleet(false);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await decideAs(main, ask("t.doc.read", { resource: "docs/1" }))).toMatchObject({ effect: "allow" });
  });
});

describe("GET /agent", () => {
  it("answers who the key belongs to, with its owners and list version", async () => {
    const me = await call(plane, "GET", "/agent", { key: main.key });
    expect(me.status).toBe(200);
    const listVersion = (await db().agent.findUniqueOrThrow({ where: { id: main.id } })).listVersion;
    expect(me.body).toEqual({
      id: main.id,
      slug: "main",
      name: "Agent main",
      status: "active",
      maturity: "principal",
      owners: [{ id: org.adminId, name: "Ada Admin", email: expect.stringContaining("@example.com") }],
      listVersion,
      technicalOwner: { id: org.adminId, name: "Ada Admin", email: expect.any(String) },
      environment: "staging",
    });
  });

  it("marks the agent as seen, at most once a minute", async () => {
    const seen = async () => (await db().agent.findUniqueOrThrow({ where: { id: main.id } })).lastSeenAt;
    await call(plane, "GET", "/agent", { key: main.key });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = await seen();
    expect(first).not.toBeNull();
    await call(plane, "GET", "/agent", { key: main.key });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await seen()).toEqual(first);
  });
});
