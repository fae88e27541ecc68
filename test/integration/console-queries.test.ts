// The console's read functions against a real, freshly migrated PostgreSQL: search and filters
// from the URL, ordering, counts, and that no secret leaves through them.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/list-agents";
import { listAgentOptions } from "@/lib/agents/list-agent-options";
import { getAgentBySlug } from "@/lib/agents/get-agent-by-slug";
import { listPendingCheckpoints } from "@/lib/approvals/list-pending-checkpoints";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { listPeople } from "@/lib/people/list-people";
import { listCatalog } from "@/lib/catalog/list-catalog";
import { getOverviewStats } from "@/lib/monitoring/overview-stats";
import { listRecentDenials } from "@/lib/monitoring/list-recent-denials";
import { listRecentAlerts } from "@/lib/monitoring/list-recent-alerts";
import type { AgentStatus, Maturity } from "@/lib/generated/prisma/enums";

const NOW = new Date("2026-11-26T12:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const SECRET_HASH = "f".repeat(64);

const ids: Record<string, string> = {};
const id = (key: string) => {
  const value = ids[key];
  if (!value) throw new Error(`no seeded id for ${key}`);
  return value;
};

async function seed() {
  const person = async (key: string, name: string, roles: ("admin" | "approver" | "auditor")[], extra: { disabled?: boolean; lastLoginAt?: Date } = {}) => {
    const row = await db().person.create({ data: { email: `${key}@example.test`, name, roles, passwordHash: "scrypt$secret", ...extra } });
    ids[key] = row.id;
  };
  await person("alice", "Alice Admin", ["admin"], { lastLoginAt: minutes(-5) });
  await person("bob", "Bob Approver", ["approver"]);
  await person("carol", "Carol Owner", []);
  await person("dave", "Dave Auditor", ["auditor"], { disabled: true });

  const crm = await db().system.create({ data: { key: "crm", name: "CRM" } });
  const billing = await db().system.create({ data: { key: "billing", name: "Billing" } });
  const action = async (key: string, systemId: string, category: "read" | "external_communication" | "financial", risk: "low" | "high" | "critical") => {
    ids[key] = (await db().action.create({ data: { key, name: key, systemId, category, risk } })).id;
  };
  await action("crm.contact.read", crm.id, "read", "low");
  await action("crm.email.send", crm.id, "external_communication", "high");
  await action("billing.refund.issue", billing.id, "financial", "critical");
  await db().globalPolicy.create({ data: { name: "External mail needs approval", category: "external_communication", requiredApprovals: 1 } });
  await db().globalPolicy.create({ data: { name: "Big refunds need two", actionId: id("billing.refund.issue"), requiredApprovals: 2, enabled: false } });

  const agent = async (slug: string, name: string, purpose: string, status: AgentStatus, maturity: Maturity, owner: string, technicalOwner?: string) => {
    const row = await db().agent.create({
      data: {
        slug, name, purpose, status, maturity,
        deployedById: id("alice"),
        technicalOwnerId: technicalOwner ? id(technicalOwner) : null,
        lastSeenAt: status === "active" ? minutes(-1) : null,
        owners: { create: [{ personId: id(owner) }] },
      },
    });
    ids[slug] = row.id;
  };
  await agent("support-bot", "Support Bot", "Answers customer tickets", "active", "junior", "carol", "bob");
  await agent("billing-agent", "Billing Agent", "Issues refunds under policy", "suspended", "senior", "carol");
  await agent("research-helper", "Research Helper", "Summarises SUPPORT articles", "draft", "intern", "alice");
  await agent("old-bot", "Old Bot", "Retired experiment", "retired", "intern", "alice");

  await db().permission.createMany({
    data: [
      { agentId: id("support-bot"), actionId: id("crm.email.send"), position: 2, effect: "require_approval", justification: "Replies to customers", conditions: { recipientDomain: "example.com" } },
      { agentId: id("support-bot"), actionId: id("crm.contact.read"), position: 1, effect: "allow", justification: "Looks up the customer", addedById: id("alice") },
      { agentId: id("support-bot"), actionId: id("billing.refund.issue"), position: 3, effect: "deny", justification: "Never touches billing" },
    ],
  });
  await db().credential.create({ data: { agentId: id("support-bot"), prefix: "mk_live_abc", secretHash: SECRET_HASH, label: "primary", createdById: id("carol") } });
  await db().credential.create({ data: { agentId: id("support-bot"), prefix: "mk_live_old", secretHash: SECRET_HASH, label: "old", revokedAt: minutes(-60) } });

  // 25 decisions for support-bot, one a minute: every third is a denial. Plus one from 2 days ago.
  for (let i = 0; i < 25; i += 1) {
    const effect = i % 3 === 0 ? "deny" : i % 3 === 1 ? "allow" : "pending";
    await db().decision.create({
      data: { agentId: id("support-bot"), action: "crm.contact.read", instruction: `task ${i}`, effect, reason: effect === "deny" ? "not_on_list" : "on_list", createdAt: minutes(-25 + i) },
    });
  }
  await db().decision.create({
    data: { agentId: id("billing-agent"), action: "billing.refund.issue", instruction: "old refund", effect: "deny", reason: "killed", createdAt: minutes(-48 * 60) },
  });

  // Checkpoints: three live ones expiring at +30, +5 and +60 min, one past its expiry, one already approved.
  const checkpoint = async (key: string, action: string, expiresIn: number, status: "pending" | "approved" = "pending", createdAgo = 10) => {
    const decision = await db().decision.create({
      data: { agentId: id("support-bot"), action, instruction: `wants ${key}`, effect: "pending", reason: "needs_approval", createdAt: minutes(-createdAgo - 100) },
    });
    ids[key] = (
      await db().checkpoint.create({
        data: { decisionId: decision.id, agentId: id("support-bot"), digest: key, status, expiresAt: minutes(expiresIn), createdAt: minutes(-createdAgo), requiredApprovals: 2 },
      })
    ).id;
  };
  await checkpoint("cp-30", "crm.email.send", 30, "pending", 20);
  await checkpoint("cp-5", "billing.refund.issue", 5, "pending", 7);
  await checkpoint("cp-60", "unknown.action", 60, "pending", 3);
  await checkpoint("cp-expired", "crm.email.send", -1, "pending", 90);
  await checkpoint("cp-approved", "crm.email.send", 10, "approved", 15);
  await db().approval.create({ data: { checkpointId: id("cp-5"), personId: id("bob"), verdict: "approve" } });

  await db().alert.create({ data: { agentId: id("billing-agent"), kind: "denial_burst", severity: "warning", message: "12 denials in 1 min", autoSuspended: true } });
  await db().alert.create({ data: { kind: "stale_heartbeat", severity: "info", message: "resolved one", resolvedAt: minutes(-1) } });

  // 105 audit events: alternating person and agent actors, types by index.
  for (let i = 0; i < 105; i += 1) {
    const byAgent = i % 2 === 1;
    await db().auditEvent.create({
      data: {
        actorType: byAgent ? "agent" : "person",
        actorPersonId: byAgent ? null : id("alice"),
        actorAgentId: byAgent ? id("support-bot") : null,
        agentId: i < 100 ? id("support-bot") : id("billing-agent"),
        type: i % 5 === 0 ? "agent.updated" : "decision.made",
        subjectType: "decision",
        subjectId: `d-${i}`,
      },
    });
  }
}

beforeAll(seed);

describe("listAgents", () => {
  it("lists every agent by name with its owners", async () => {
    const { agents, truncated } = await listAgents({});
    expect(agents.map((a) => a.slug)).toEqual(["billing-agent", "old-bot", "research-helper", "support-bot"]);
    expect(truncated).toBe(false);
    const support = agents.find((a) => a.slug === "support-bot");
    expect(support?.owners.map((o) => o.name)).toEqual(["Carol Owner"]);
    expect(support?.technicalOwner?.name).toBe("Bob Approver");
    expect(support?.lastSeenAt).toEqual(minutes(-1));
  });

  it("searches name, slug and purpose without regard to case", async () => {
    expect((await listAgents({ q: "support" })).agents.map((a) => a.slug)).toEqual(["research-helper", "support-bot"]);
    expect((await listAgents({ q: "  BILLING " })).agents.map((a) => a.slug)).toEqual(["billing-agent"]);
    expect((await listAgents({ q: "old-b" })).agents.map((a) => a.slug)).toEqual(["old-bot"]);
    // LIKE wildcards in the search are literal characters, not patterns.
    expect((await listAgents({ q: "%" })).agents).toEqual([]);
    expect((await listAgents({ q: "old_bot" })).agents).toEqual([]);
    expect((await listAgents({ q: "old-bot\\" })).agents).toEqual([]);
  });

  it("filters by status and maturity, together", async () => {
    expect((await listAgents({ status: "active" })).agents.map((a) => a.slug)).toEqual(["support-bot"]);
    expect((await listAgents({ maturity: "intern" })).agents.map((a) => a.slug)).toEqual(["old-bot", "research-helper"]);
    expect((await listAgents({ status: "draft", maturity: "intern" })).agents.map((a) => a.slug)).toEqual(["research-helper"]);
    expect((await listAgents({ status: "active", maturity: "senior" })).agents).toEqual([]);
  });

  it("ignores values it does not know instead of failing", async () => {
    const { agents, filters } = await listAgents({ status: "bogus", maturity: ["x"], q: "x".repeat(500) });
    expect(filters).toEqual({ q: undefined, status: undefined, maturity: undefined });
    expect(agents).toHaveLength(4);
    expect((await listAgents(null)).agents).toHaveLength(4);
    expect((await listAgents({ q: "" })).filters.q).toBeUndefined();
  });

  it("gives slug and name options for pickers", async () => {
    expect((await listAgentOptions()).map((a) => a.slug)).toEqual(["billing-agent", "old-bot", "research-helper", "support-bot"]);
  });
});

describe("getAgentBySlug", () => {
  it("returns the written list in order, people, and the 20 latest decisions", async () => {
    const agent = await getAgentBySlug("support-bot");
    expect(agent).not.toBeNull();
    expect(agent?.deployedBy.name).toBe("Alice Admin");
    expect(agent?.owners.map((o) => o.email)).toEqual(["carol@example.test"]);
    expect(agent?.permissions.map((p) => [p.action.key, p.effect, p.action.category])).toEqual([
      ["crm.contact.read", "allow", "read"],
      ["crm.email.send", "require_approval", "external_communication"],
      ["billing.refund.issue", "deny", "financial"],
    ]);
    expect(agent?.permissions[0]?.addedBy?.name).toBe("Alice Admin");
    expect(agent?.permissions[1]?.conditions).toEqual({ recipientDomain: "example.com" });
    const decisions = agent?.decisions ?? [];
    expect(decisions).toHaveLength(20);
    const times = decisions.map((d) => d.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(decisions[0]?.instruction).toBe("task 24");
  });

  it("lists credentials without ever exposing the secret hash", async () => {
    const agent = await getAgentBySlug("support-bot");
    expect(agent?.credentials.map((c) => c.prefix).sort()).toEqual(["mk_live_abc", "mk_live_old"]);
    for (const credential of agent?.credentials ?? []) expect(Object.keys(credential)).not.toContain("secretHash");
    expect(JSON.stringify(agent)).not.toContain(SECRET_HASH);
    expect(agent?.credentials.find((c) => c.prefix === "mk_live_old")?.revokedAt).toEqual(minutes(-60));
  });

  it("answers null for an unknown or malformed slug", async () => {
    expect(await getAgentBySlug("nobody")).toBeNull();
    expect(await getAgentBySlug("")).toBeNull();
    expect(await getAgentBySlug(42)).toBeNull();
    expect(await getAgentBySlug("x".repeat(1000))).toBeNull();
  });
});

describe("listPendingCheckpoints", () => {
  it("shows only live pending checkpoints, the soonest to expire first, with catalog data", async () => {
    const checkpoints = await listPendingCheckpoints(NOW);
    expect(checkpoints.map((c) => c.id)).toEqual([id("cp-5"), id("cp-30"), id("cp-60")]);
    const [first, , unknown] = checkpoints;
    expect(first).toMatchObject({ action: "billing.refund.issue", category: "financial", risk: "critical", instruction: "wants cp-5", requiredApprovals: 2, approvalsSoFar: 1 });
    expect(first?.agent).toEqual({ slug: "support-bot", name: "Support Bot" });
    expect(unknown).toMatchObject({ action: "unknown.action", category: null, risk: null, approvalsSoFar: 0 });
  });
});

describe("listAuditEvents", () => {
  it("returns the newest 100, newest first, with readable actors", async () => {
    const { events } = await listAuditEvents({});
    expect(events).toHaveLength(100);
    const numericIds = events.map((e) => Number(e.id));
    expect(numericIds).toEqual([...numericIds].sort((a, b) => b - a));
    expect(events[0]?.subjectId).toBe("d-104");
    expect(events.find((e) => e.actorType === "person")?.actorLabel).toBe("Alice Admin");
    expect(events.find((e) => e.actorType === "agent")?.actorLabel).toBe("support-bot");
    expect(typeof events[0]?.id).toBe("string");
  });

  it("filters by agent slug and by type", async () => {
    const billing = await listAuditEvents({ agent: "billing-agent" });
    expect(billing.events.map((e) => e.subjectId)).toEqual(["d-104", "d-103", "d-102", "d-101", "d-100"]);
    expect(billing.events.every((e) => e.agent?.slug === "billing-agent")).toBe(true);
    const updated = await listAuditEvents({ type: "agent.updated" });
    expect(updated.events).toHaveLength(21);
    expect((await listAuditEvents({ agent: "billing-agent", type: "agent.updated" })).events.map((e) => e.subjectId)).toEqual(["d-100"]);
    expect((await listAuditEvents({ agent: "nobody" })).events).toEqual([]);
  });

  it("names malformed filters and lists nothing", async () => {
    const { events, errors } = await listAuditEvents({ agent: ["a", "b"], type: "t".repeat(300) });
    expect(events).toEqual([]);
    expect(errors?.map((e) => e.path).sort()).toEqual(["agent", "type"]);
  });
});

describe("listPeople", () => {
  it("lists people by name with roles, state and ownerships, and no password hash", async () => {
    const people = await listPeople();
    expect(people.map((p) => p.name)).toEqual(["Alice Admin", "Bob Approver", "Carol Owner", "Dave Auditor"]);
    const [alice, bob, carol, dave] = people;
    expect(alice?.roles).toEqual(["admin"]);
    expect(alice?.lastLoginAt).toEqual(minutes(-5));
    expect(alice?.owns.map((a) => a.slug)).toEqual(["old-bot", "research-helper"]);
    expect(bob?.technicalOwnerOf.map((a) => a.slug)).toEqual(["support-bot"]);
    expect(carol?.owns.map((a) => a.slug)).toEqual(["billing-agent", "support-bot"]);
    expect(carol?.roles).toEqual([]);
    expect(dave?.disabled).toBe(true);
    expect(JSON.stringify(people)).not.toContain("scrypt$secret");
  });
});

describe("listCatalog", () => {
  it("lists systems and actions by key, and the global policies enabled first", async () => {
    const { systems, policies } = await listCatalog();
    expect(systems.map((s) => [s.key, s.actions.map((a) => a.key)])).toEqual([
      ["billing", ["billing.refund.issue"]],
      ["crm", ["crm.contact.read", "crm.email.send"]],
    ]);
    expect(systems[1]?.actions[1]).toMatchObject({ category: "external_communication", risk: "high" });
    expect(policies.map((p) => [p.name, p.enabled, p.category, p.action?.key ?? null])).toEqual([
      ["External mail needs approval", true, "external_communication", null],
      ["Big refunds need two", false, null, "billing.refund.issue"],
    ]);
  });
});

describe("overview", () => {
  it("counts agents, live approvals, the last 24 h of decisions and open alerts", async () => {
    const stats = await getOverviewStats(NOW);
    expect(stats.agents).toEqual({
      total: 4,
      byStatus: { draft: 1, active: 1, suspended: 1, killed: 0, retired: 1 },
      byMaturity: { intern: 2, junior: 1, senior: 1, principal: 0 },
    });
    // cp-30 was created 20 min before NOW and is the oldest live one (cp-expired does not count).
    expect(stats.approvals).toEqual({ pending: 3, oldestPendingSeconds: 20 * 60 });
    // 25 decisions (9 deny, 8 allow, 8 pending) + 5 checkpoint decisions (pending); the 2-day-old one is out.
    expect(stats.decisions24h).toEqual({ total: 30, allow: 8, deny: 9, pending: 13 });
    expect(stats.openAlerts).toBe(1);
    expect(stats.fleetStopped).toBe(false);
    expect(stats.generatedAt).toBe(NOW.toISOString());
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it("shows the fleet stop when it is in effect", async () => {
    await db().fleetState.upsert({ where: { id: 1 }, create: { id: 1, stopped: true }, update: { stopped: true } });
    expect((await getOverviewStats(NOW)).fleetStopped).toBe(true);
    await db().fleetState.update({ where: { id: 1 }, data: { stopped: false } });
  });

  it("lists the 10 latest denials and the latest alerts", async () => {
    const latest = await listRecentDenials(5);
    expect(latest.map((d) => d.instruction)).toEqual(["task 24", "task 21", "task 18", "task 15", "task 12"]);
    expect(latest.every((d) => d.reason === "not_on_list" && d.agent.slug === "support-bot")).toBe(true);
    // Ten denials exist in all (nine recent, one two days old); allowed and pending ones never show.
    const ten = await listRecentDenials(10);
    expect(ten).toHaveLength(10);
    expect(ten.at(-1)).toMatchObject({ reason: "killed", agent: { slug: "billing-agent" } });
    expect(await listRecentDenials(50)).toHaveLength(10);
    const alerts = await listRecentAlerts();
    expect(alerts.map((a) => a.message).sort()).toEqual(["12 denials in 1 min", "resolved one"]);
    expect(alerts.find((a) => a.autoSuspended)?.agent?.slug).toBe("billing-agent");
  });
});
