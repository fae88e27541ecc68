import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { parseAgentKey, secretMatches } from "@/lib/credentials/key-format";
import { db } from "@/lib/db/client";
import { checkpointDigest } from "@/lib/demo/build-followups";
import { seedDemo, type DemoSeedResult } from "@/lib/demo/seed-demo";
import { AppError } from "@/lib/http/errors";

let result: DemoSeedResult;
let seededAt: number;

beforeAll(async () => {
  result = await seedDemo(db());
  seededAt = Date.now();
});

async function agentsWithLists() {
  return db().agent.findMany({
    include: { owners: true, permissions: { include: { action: true } }, drills: true, stateChanges: true, credentials: true },
  });
}

describe("seedDemo", () => {
  it("creates people in every role whose random passwords verify against hashes and are never stored plain", async () => {
    expect(result.people.map((p) => p.role).sort()).toEqual(["admin", "approver", "approver", "auditor", "business owner", "technical owner"]);
    expect(new Set(result.people.map((p) => p.password)).size).toBe(result.people.length);
    const people = await db().person.findMany({ omit: { passwordHash: false } });
    expect(people).toHaveLength(result.people.length);
    for (const shown of result.people) {
      const person = people.find((p) => p.email === shown.email);
      expect(person?.email).toMatch(/@demo\.mandate\.local$/);
      expect(person?.passwordHash).toMatch(/^scrypt\$/);
      expect(person?.passwordHash).not.toContain(shown.password);
      expect(await verifyPassword(shown.password, person?.passwordHash)).toBe(true);
      expect(await verifyPassword(`${shown.password}x`, person?.passwordHash)).toBe(false);
    }
    const rolesOf = (role: string) => people.filter((p) => result.people.find((s) => s.email === p.email)?.role === role).map((p) => p.roles);
    expect(rolesOf("admin")).toEqual([["admin"]]);
    expect(rolesOf("approver")).toEqual([["approver"], ["approver"]]);
    expect(rolesOf("auditor")).toEqual([["auditor"]]);
    expect(rolesOf("business owner")).toEqual([[]]);

    const everything = JSON.stringify(await db().auditEvent.findMany({ select: { data: true, reasoning: true } }));
    for (const shown of result.people) expect(everything).not.toContain(shown.password);
  });

  it("builds a catalog with sensible categories and the global checkpoint policies", async () => {
    const systems = await db().system.findMany({ include: { actions: true } });
    expect(systems.length).toBeGreaterThanOrEqual(6);
    for (const system of systems) {
      expect(system.actions.length).toBeGreaterThanOrEqual(3);
      expect(system.actions.length).toBeLessThanOrEqual(6);
      for (const action of system.actions) expect(action.key.startsWith(`${system.key}.`)).toBe(true);
    }
    const actions = new Map(systems.flatMap((s) => s.actions).map((a) => [a.key, a]));
    expect(actions.get("crm.contact.read")).toMatchObject({ category: "read", risk: "low" });
    expect(actions.get("email.send")).toMatchObject({ category: "external_communication", risk: "high" });
    expect(actions.get("payments.refund.issue")).toMatchObject({ category: "financial", risk: "critical" });
    expect(actions.get("github.repo.admin")).toMatchObject({ category: "admin", risk: "critical" });

    const policies = await db().globalPolicy.findMany();
    expect(policies.find((p) => p.category === "external_communication")?.requiredApprovals).toBe(1);
    const financial = policies.find((p) => p.category === "financial");
    expect(financial).toMatchObject({ requiredApprovals: 2, conditions: { param: "amount", above: 1000 } });
    expect(policies.some((p) => p.actionId !== null)).toBe(true);
  });

  it("creates five agents with owners, distinct technical owners, lists on the catalog, drills and activations", async () => {
    const agents = await agentsWithLists();
    expect(agents).toHaveLength(5);
    expect(new Set(agents.map((a) => a.maturity))).toEqual(new Set(["intern", "junior", "senior", "principal"]));
    expect(agents.filter((a) => a.status === "draft")).toHaveLength(1);
    expect(agents.filter((a) => a.technicalOwnerId).length).toBeGreaterThanOrEqual(4);
    for (const agent of agents) {
      expect(agent.owners.length).toBeGreaterThanOrEqual(1);
      expect(agent.owners.map((o) => o.personId)).not.toContain(agent.technicalOwnerId);
      expect(agent.permissions.length).toBeGreaterThanOrEqual(3);
      expect(agent.permissions.length).toBeLessThanOrEqual(7);
      for (const line of agent.permissions) {
        expect(line.action.key).toMatch(/^[a-z]+\./);
        expect(line.justification.length).toBeGreaterThan(10);
      }
      if (agent.status === "active") {
        expect(agent.drills.some((d) => d.status === "passed" && d.latencyMs !== null && d.latencyMs >= 150 && d.latencyMs <= 600)).toBe(true);
        const activation = agent.stateChanges.find((c) => c.kind === "activate" && c.toStatus === "active");
        expect(activation).toBeDefined();
        expect(agent.drills.every((d) => d.startedAt < (activation as { createdAt: Date }).createdAt)).toBe(true);
        expect(agent.credentials.length).toBeGreaterThanOrEqual(1);
      } else {
        expect(agent.credentials).toHaveLength(0);
      }
    }
    const lines = agents.flatMap((a) => a.permissions);
    expect(new Set(lines.map((l) => l.effect))).toEqual(new Set(["allow", "require_approval", "deny"]));
    expect(lines.some((l) => l.rateLimitPerHour || l.rateLimitPerMinute)).toBe(true);
    const conditions = JSON.stringify(lines.map((l) => l.conditions));
    for (const shape of ['"resource":', '"params":', '"window":', '"domains":', '"max":', '"oneOf":']) expect(conditions).toContain(shape);
  });

  it("writes hundreds of decisions with full reasoning that agree with the written lists", async () => {
    const agents = await agentsWithLists();
    const linesOf = new Map(agents.map((a) => [a.id, a.permissions]));
    const decisions = await db().decision.findMany({ include: { checkpoint: true } });
    expect(decisions.length).toBeGreaterThanOrEqual(200);
    const weekAgo = seededAt - 7 * 86_400_000 - 60_000;
    for (const d of decisions) {
      expect(d.instruction.length).toBeGreaterThan(0);
      expect(Array.isArray(d.considered) && d.considered.length).toBeGreaterThan(0);
      expect(d.chosen?.length).toBeGreaterThan(0);
      expect(d.rationale?.length).toBeGreaterThan(0);
      expect(d.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(d.latencyMicros).toBeGreaterThanOrEqual(200);
      expect(d.latencyMicros).toBeLessThanOrEqual(3000);
      expect(d.createdAt.getTime()).toBeGreaterThan(weekAgo);
      expect(d.createdAt.getTime()).toBeLessThanOrEqual(seededAt);
      const line = linesOf.get(d.agentId)?.find((l) => l.action.key === d.action);
      if (d.reason === "not_on_list") expect(line).toBeUndefined();
      else expect(line).toBeDefined();
      if (d.reason === "never") expect(line?.effect).toBe("deny");
      if (d.effect === "allow") expect([d.reason, line?.effect]).toEqual(["allowed_by_list", "allow"]);
      if (d.effect === "pending") expect([d.reason, d.checkpoint?.decisionId]).toEqual(["requires_approval", d.id]);
      else expect(d.checkpoint).toBeNull();
    }
    expect(new Set(decisions.map((d) => d.reason))).toEqual(
      new Set(["allowed_by_list", "requires_approval", "not_on_list", "never", "condition_failed", "maturity_cap", "rate_limited"]),
    );
    const allowed = decisions.filter((d) => d.effect === "allow");
    expect(allowed.filter((d) => d.outcomeStatus).length / allowed.length).toBeGreaterThan(0.9);
    expect(decisions.every((d) => d.effect !== "deny" || d.outcomeStatus === null)).toBe(true);

    const byId = new Map(decisions.map((d) => [d.id, d]));
    const hops = decisions.filter((d) => d.parentDecisionId);
    expect(hops.length).toBeGreaterThan(0);
    for (const hop of hops) {
      const parent = byId.get(hop.parentDecisionId as string);
      expect(parent?.traceId).toBe(hop.traceId);
      expect(parent?.agentId).not.toBe(hop.agentId);
      expect((parent?.createdAt.getTime() ?? Infinity) < hop.createdAt.getTime()).toBe(true);
    }
    expect(new Set(decisions.map((d) => d.onBehalfOf)).size).toBeGreaterThan(3);
  });

  it("leaves open checkpoints expiring soon, and decided ones with the approvers' votes", async () => {
    const checkpoints = await db().checkpoint.findMany({ include: { decision: true, approvals: true, policy: true, agent: { include: { owners: true } } } });
    const open = checkpoints.filter((c) => c.status === "pending");
    expect(open.length).toBeGreaterThanOrEqual(5);
    expect(open.length).toBeLessThanOrEqual(8);
    for (const c of open) {
      expect(c.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(c.expiresAt.getTime()).toBeLessThan(seededAt + 61 * 60_000);
    }
    for (const c of checkpoints) {
      expect(c.digest).toBe(checkpointDigest({ agentId: c.agentId, action: c.decision.action, resource: c.decision.resource, params: c.decision.params as never }));
      if (c.policy) expect(c.requiredApprovals).toBeGreaterThanOrEqual(c.policy.requiredApprovals);
      const deciders = new Set([...c.agent.owners.map((o) => o.personId), c.agent.deployedById, c.agent.technicalOwnerId]);
      for (const vote of c.approvals) expect(deciders.has(vote.personId)).toBe(false);
      if (c.status === "approved") {
        expect(c.approvals.filter((a) => a.verdict === "approve").length).toBeGreaterThanOrEqual(c.requiredApprovals);
        expect(c.decision.outcomeStatus).toBe("succeeded");
      }
      if (c.status === "denied") expect(c.approvals.some((a) => a.verdict === "deny")).toBe(true);
    }
    const statuses = new Set(checkpoints.map((c) => c.status));
    for (const status of ["pending", "approved", "denied", "expired"] as const) expect(statuses.has(status)).toBe(true);
    expect(checkpoints.some((c) => c.requiredApprovals === 2)).toBe(true);
  });

  it("returns agent keys that parse and match their stored hashes, and never stores or audits the key", async () => {
    expect(result.agentKeys.length).toBeGreaterThanOrEqual(4);
    const audit = JSON.stringify(await db().auditEvent.findMany({ where: { type: "credential.created" }, select: { data: true } }));
    for (const { key } of result.agentKeys) {
      const parsed = parseAgentKey(key);
      expect(parsed).not.toBeNull();
      const row = await db().credential.findUnique({ where: { prefix: parsed?.prefix }, omit: { secretHash: false } });
      expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(secretMatches(parsed?.secret ?? "", row?.secretHash ?? "")).toBe(true);
      expect(audit).toContain(parsed?.prefix);
      expect(audit).not.toContain(parsed?.secret);
    }
  });

  it("records the audit trail: one decision.made per decision with its reasoning, and what the seed created", async () => {
    const decisions = await db().decision.count();
    const made = await db().auditEvent.findMany({ where: { type: "decision.made" }, select: { reasoning: true, actorType: true, subjectId: true } });
    expect(made).toHaveLength(decisions);
    expect(made.every((e) => e.actorType === "agent" && (e.reasoning as { instruction?: string } | null)?.instruction)).toBe(true);
    const types = new Set((await db().auditEvent.findMany({ select: { type: true }, distinct: ["type"] })).map((e) => e.type));
    for (const type of ["person.created", "credential.created", "agent.created", "permission.added", "agent.activated", "approval.recorded", "alert.raised", "demo.seeded"]) {
      expect(types.has(type)).toBe(true);
    }
    const alerts = await db().alert.findMany({ include: { agent: true } });
    expect(alerts.some((a) => a.kind === "scope_creep" && a.agent?.maturity === "intern")).toBe(true);
  });

  it("refuses a second run with conflict and writes nothing", async () => {
    const count = async () =>
      Promise.all([db().person.count(), db().agent.count(), db().decision.count(), db().credential.count(), db().auditEvent.count(), db().system.count()]);
    const before = await count();
    const error = await seedDemo(db()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    expect((error as AppError).message).toMatch(/already has the demo/);
    expect(await count()).toEqual(before);
  });
});
