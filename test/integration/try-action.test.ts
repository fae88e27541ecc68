// "Try an action" on the demo organisation: the answers DESIGN.md §5 gives for its agents, read
// from the real database by the real engine — and not one row written, whatever is tried.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { evaluate } from "@/lib/permissions/evaluate";
import { effectiveDecisions } from "@/lib/permissions/effective-decisions";
import { loadEngineInput } from "@/lib/permissions/load-engine-input";
import { tryAction } from "@/lib/permissions/try-action";
import type { Decision } from "@/lib/permissions/types";

// A Wednesday morning after the seeded week: office hours, and no recent use of any line.
const AT = "2030-01-09T10:00:00Z";
const agents = new Map<string, string>();
let admin: { id: string; roles: Role[] };

beforeAll(async () => {
  await seedDemo(db());
  for (const agent of await db().agent.findMany({ select: { id: true, slug: true } })) agents.set(agent.slug, agent.id);
  const person = await db().person.findFirstOrThrow({ where: { roles: { has: "admin" } } });
  admin = { id: person.id, roles: person.roles };
});

const agentId = (slug: string) => {
  const id = agents.get(slug);
  if (!id) throw new Error(`no demo agent ${slug}`);
  return id;
};

/** Every table a decision, checkpoint or change would touch. */
async function rowCounts() {
  const client = db();
  return Promise.all([
    client.decision.count(),
    client.checkpoint.count(),
    client.auditEvent.count(),
    client.permission.count(),
    client.agent.aggregate({ _sum: { listVersion: true, stateVersion: true } }),
    client.alert.count(),
    client.stateChange.count(),
  ]);
}

const tryAs = (input: Record<string, unknown>, person: { id: string; roles: Role[] } = admin) => tryAction(person, { at: AT, ...input });

describe("try an action on the demo organisation", () => {
  const cases: Array<[string, string, Record<string, unknown>, Partial<Decision>]> = [
    ["a senior reads a ticket inside its pattern", "support-triage", { action: "helpdesk.ticket.read", resource: "tickets/4711" }, { effect: "allow", reason: "allowed_by_list", ruleKind: "permission" }],
    ["a senior writes and its owners hear of it", "support-triage", { action: "helpdesk.ticket.update", resource: "tickets/4711" }, { effect: "allow", notifyOwners: true }],
    ["outside the resource pattern", "support-triage", { action: "helpdesk.ticket.read", resource: "billing/4711" }, { effect: "deny", reason: "condition_failed" }],
    ["a never line", "support-triage", { action: "crm.record.delete", resource: "contacts/1" }, { effect: "deny", reason: "never" }],
    ["off the list is scope creep", "support-triage", { action: "email.send" }, { effect: "deny", reason: "not_on_list", scopeCreep: true }],
    ["not in the catalog", "support-triage", { action: "crm.universe.destroy" }, { effect: "deny", reason: "unknown_action" }],
    ["a junior writing needs approval", "crm-hygiene", { action: "crm.contact.update", resource: "contacts/9", params: '{"field":"company"}' }, { effect: "require_approval", reason: "maturity_approval", requiredApprovals: 1 }],
    ["a junior writing a protected field", "crm-hygiene", { action: "crm.contact.update", resource: "contacts/9", params: { field: "owner" } }, { effect: "deny", reason: "condition_failed" }],
    ["a principal's small refund", "finance-refunds", { action: "payments.refund.issue", params: { amount: 120, currency: "EUR" } }, { effect: "allow" }],
    ["a principal's refund above its limit goes to a person", "finance-refunds", { action: "payments.refund.issue", params: { amount: 700, currency: "EUR" } }, { effect: "require_approval", reason: "condition_failed", requiredApprovals: 1 }],
    [
      "a refund above 1,000 needs two approvers for an hour",
      "finance-refunds",
      { action: "payments.refund.issue", params: { amount: 5000, currency: "USD" } },
      { effect: "require_approval", reason: "policy_checkpoint", ruleKind: "policy", requiredApprovals: 2, expirySeconds: 3600 },
    ],
    ["an intern may read", "code-review", { action: "github.pr.read", resource: "acme/widgets" }, { effect: "allow" }],
    ["an intern may not comment, whatever its list says", "code-review", { action: "github.pr.comment", resource: "acme/widgets" }, { effect: "deny", reason: "maturity_cap", ruleKind: "maturity" }],
    ["a draft agent", "marketing-outreach", { action: "crm.contact.read", resource: "segments/event-signups/1" }, { effect: "deny", reason: "agent_draft", ruleKind: "kill" }],
  ];

  it.each(cases)("%s", async (_name, slug, input, expected) => {
    const result = await tryAs({ agentId: agentId(slug), ...input });
    expect(result.decision).toMatchObject(expected);
    expect(result.at).toBe(new Date(AT).toISOString());
    expect(result.reasonText.length).toBeGreaterThan(10);
    expect(result.rule.length).toBeGreaterThan(3);
  });

  it("answers what the engine answers on the same database", async () => {
    const request = { action: "payments.refund.issue", resource: null, params: { amount: 700, currency: "GBP" } };
    const input = await loadEngineInput(db(), agentId("finance-refunds"), request, new Date(AT));
    const tried = await tryAs({ agentId: agentId("finance-refunds"), action: request.action, params: request.params });
    expect(input).not.toBeNull();
    expect(tried.decision).toEqual(evaluate(input!));
    expect(tried.rule).toMatch(/^line 2 of the written list/);
  });

  it("writes no row, whatever is tried and whoever tries it", async () => {
    const before = await rowCounts();
    const auditor = await db().person.findFirstOrThrow({ where: { roles: { has: "auditor" } } });
    const owner = await db().person.findFirstOrThrow({ where: { roles: { isEmpty: true } } });
    for (const person of [admin, { id: auditor.id, roles: auditor.roles }, { id: owner.id, roles: owner.roles }]) {
      for (const [, slug, input] of cases) await tryAs({ agentId: agentId(slug), ...input }, person);
    }
    await effectiveDecisions(agentId("support-triage"));
    expect(await rowCounts()).toEqual(before);
  });
});

describe("what the database says, the engine hears", () => {
  it("counts a line's recent allowed decisions against its rate limit", async () => {
    const id = agentId("support-triage");
    const line = await db().permission.findFirstOrThrow({ where: { agentId: id, action: { key: "helpdesk.ticket.update" } } });
    const at = new Date(AT).getTime();
    await db().decision.createMany({
      data: Array.from({ length: 30 }, (_, index) => ({ agentId: id, action: "helpdesk.ticket.update", instruction: "relabel", effect: "allow" as const, reason: "allowed_by_list", ruleId: line.id, createdAt: new Date(at - 1000 - index * 100) })),
    });
    const input = { agentId: id, action: "helpdesk.ticket.update", resource: "tickets/1" };
    expect((await tryAs(input)).decision).toMatchObject({ effect: "deny", reason: "rate_limited", ruleId: line.id });
    expect((await tryAs({ ...input, at: "2030-01-09T10:01:00Z" })).decision).toMatchObject({ effect: "allow" });
  });

  it("hears capability kills until they are restored, and stop-all", async () => {
    const id = agentId("support-triage");
    const input = { agentId: id, action: "helpdesk.ticket.read", resource: "tickets/1" };
    const kill = await db().capabilityKill.create({ data: { agentId: id, capability: "read", reason: "drill" } });
    expect((await tryAs(input)).decision).toMatchObject({ effect: "deny", reason: "capability_killed", ruleId: kill.id });
    await db().capabilityKill.update({ where: { id: kill.id }, data: { restoredAt: new Date() } });
    expect((await tryAs(input)).decision.effect).toBe("allow");

    await db().fleetState.update({ where: { id: 1 }, data: { stopped: true } });
    try {
      expect((await tryAs(input)).decision).toMatchObject({ effect: "deny", reason: "fleet_stopped" });
    } finally {
      await db().fleetState.update({ where: { id: 1 }, data: { stopped: false } });
    }
  });

  it("fails closed on a stored condition that no longer parses, and applies a policy whose threshold does not", async () => {
    const id = agentId("finance-refunds");
    const line = await db().permission.findFirstOrThrow({ where: { agentId: id, action: { key: "payments.charge.read" } } });
    await db().permission.update({ where: { id: line.id }, data: { conditions: { resource: "charges/*", sql: "drop table" } } });
    expect((await tryAs({ agentId: id, action: "payments.charge.read", resource: "charges/1" })).decision).toMatchObject({ effect: "deny", reason: "malformed_rule", ruleId: line.id });

    const policy = await db().globalPolicy.findFirstOrThrow({ where: { category: "financial" } });
    await db().globalPolicy.update({ where: { id: policy.id }, data: { conditions: { param: "amount", above: "lots" } } });
    const small = await tryAs({ agentId: id, action: "payments.refund.issue", params: { amount: 10, currency: "USD" } });
    expect(small.decision).toMatchObject({ effect: "require_approval", ruleId: policy.id, requiredApprovals: 2 });
    await db().globalPolicy.update({ where: { id: policy.id }, data: { enabled: false } });
    expect((await tryAs({ agentId: id, action: "payments.refund.issue", params: { amount: 10, currency: "USD" } })).decision.effect).toBe("allow");
  });

  it("gives an effective decision for every catalog action", async () => {
    const effective = await effectiveDecisions(agentId("code-review"));
    const byAction = new Map(effective?.map((row) => [row.action, row.decision]));
    expect(byAction.size).toBe(await db().action.count());
    expect(byAction.get("github.pr.merge")).toMatchObject({ effect: "deny", reason: "never" });
    // With no resource, a line with a resource pattern cannot hold.
    expect(byAction.get("github.repo.read")).toMatchObject({ effect: "deny", reason: "condition_failed" });
    expect(byAction.get("github.pr.comment")).toMatchObject({ effect: "deny", reason: "condition_failed" });
    expect(byAction.get("email.send")).toMatchObject({ effect: "deny", reason: "not_on_list" });
    expect(await effectiveDecisions(randomUUID())).toBeNull();
  });
});

describe("the try form's input", () => {
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ["params that are not JSON", { params: "{amount: 1}" }, "params"],
    ["params that are a list", { params: "[1, 2]" }, "params"],
    ["params that are a single value", { params: "42" }, "params"],
    ["params over 16 KiB", { params: JSON.stringify({ note: "x".repeat(16 * 1024) }) }, "params"],
    ["params nested nine deep", { params: JSON.stringify({ a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }) }, "params"],
    ["no action", { action: " " }, "action"],
    ["a time that is not one", { at: "next tuesday" }, "at"],
    ["a date that does not exist", { at: "2030-02-31T10:00" }, "at"],
    ["an unknown field", { effect: "allow" }, "(root)"],
  ];

  it.each(refused)("refuses %s (400) and writes nothing", async (_name, input, field) => {
    const before = await rowCounts();
    const error = await tryAs({ agentId: agentId("support-triage"), action: "helpdesk.ticket.read", ...input }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("validation_failed");
    expect((error as AppError).fields?.map((invalid) => invalid.path)).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });

  it("takes params nested eight deep, an empty time as now, and a time without a zone as UTC", async () => {
    const deep = JSON.stringify({ a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } });
    const base = { agentId: agentId("support-triage"), action: "crm.contact.read" };
    expect((await tryAs({ ...base, params: deep })).decision.effect).toBe("allow");
    const now = new Date("2031-05-05T05:05:05Z");
    expect((await tryAction(admin, { ...base, at: "" }, now)).at).toBe(now.toISOString());
    expect((await tryAction(admin, { ...base, at: "2031-05-05T07:30" })).at).toBe("2031-05-05T07:30:00.000Z");
  });

  it("answers 404 for an unknown agent", async () => {
    const error = await tryAs({ agentId: randomUUID(), action: "crm.contact.read" }).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe("not_found");
  });
});
