// Registering agents: identity, owners and the first written list, audited in the same
// transaction; every refusal writes nothing. Plus the registry's owner and system filters.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { listAgents } from "@/lib/agents/list-agents";
import { registerAgent, type RegisterAgentInput } from "@/lib/agents/register-agent";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

const ids: Record<string, string> = {};
const id = (key: string) => ids[key] ?? (() => { throw new Error(`no id for ${key}`); })();
let admin: { id: string; roles: Role[] };
let actor: Actor;

beforeAll(async () => {
  const person = async (key: string, roles: Role[] = [], disabled = false) => {
    ids[key] = (await db().person.create({ data: { email: `${key}@registry.test`, name: key, roles, disabled } })).id;
  };
  await person("admin", ["admin"]);
  await person("ada");
  await person("bo");
  await person("tech");
  await person("gone", [], true);
  admin = { id: id("admin"), roles: ["admin"] };
  actor = { type: "person", personId: id("admin"), via: "console" };

  const crm = await db().system.create({ data: { key: "crm", name: "CRM" } });
  const pay = await db().system.create({ data: { key: "payments", name: "Payments" } });
  await db().action.createMany({
    data: [
      { key: "crm.contact.read", name: "Read contact", systemId: crm.id, category: "read", risk: "low" },
      { key: "crm.note.create", name: "Log a note", systemId: crm.id, category: "write", risk: "low" },
      { key: "payments.refund.issue", name: "Issue refund", systemId: pay.id, category: "financial", risk: "critical" },
    ],
  });
});

const LINES: RegisterAgentInput["lines"] = [
  { action: "crm.contact.read", effect: "allow", justification: "Looks up who wrote in.", conditions: { resource: "contacts/*" } },
  { action: "crm.note.create", effect: "require_approval", justification: "Logs what it did.", rateLimitPerMinute: 10 },
  { action: "payments.refund.issue", effect: "deny", justification: "Never touches money." },
];

function input(overrides: Partial<RegisterAgentInput> = {}): RegisterAgentInput {
  return {
    name: "Support Triage",
    slug: `triage-${randomUUID().slice(0, 8)}`,
    purpose: "Sorts incoming support tickets into queues.",
    environment: "staging",
    ownerIds: [id("ada"), id("bo")],
    technicalOwnerId: id("tech"),
    lines: LINES,
    ...overrides,
  };
}

const counts = () => Promise.all([db().agent.count(), db().agentOwner.count(), db().permission.count(), db().auditEvent.count()]);

async function refusal(value: unknown, code: AppError["code"]): Promise<AppError> {
  const before = await counts();
  const error = await registerAgent(admin, actor, value).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect(await counts()).toEqual(before);
  return error as AppError;
}

describe("registerAgent", () => {
  it("creates a draft intern with its owners and list, and one audit row with everything", async () => {
    const given = input({ name: "  Support Triage  " });
    const { id: agentId, slug } = await registerAgent(admin, actor, given);
    expect(slug).toBe(given.slug);

    const agent = await db().agent.findUniqueOrThrow({
      where: { id: agentId },
      include: { owners: { orderBy: { createdAt: "asc" } }, permissions: { orderBy: { position: "asc" }, include: { action: true } } },
    });
    expect(agent).toMatchObject({ name: "Support Triage", status: "draft", maturity: "intern", environment: "staging", deployedById: id("admin"), technicalOwnerId: id("tech"), stateVersion: 1, listVersion: 1 });
    expect(agent.owners.map((owner) => owner.personId)).toEqual([id("ada"), id("bo")]);
    expect(agent.permissions.map((line) => [line.position, line.action.key, line.effect, line.addedById])).toEqual([
      [0, "crm.contact.read", "allow", id("admin")],
      [1, "crm.note.create", "require_approval", id("admin")],
      [2, "payments.refund.issue", "deny", id("admin")],
    ]);
    expect(agent.permissions[0]?.conditions).toEqual({ resource: "contacts/*" });
    expect(agent.permissions[1]?.rateLimitPerMinute).toBe(10);

    const events = await db().auditEvent.findMany({ where: { agentId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "agent.registered",
      actorType: "person",
      actorPersonId: id("admin"),
      subjectType: "agent",
      subjectId: agentId,
      data: {
        before: null,
        via: "console",
        after: {
          slug,
          status: "draft",
          maturity: "intern",
          deployedBy: "admin@registry.test",
          owners: ["ada@registry.test", "bo@registry.test"],
          technicalOwner: "tech@registry.test",
          lines: [
            { action: "crm.contact.read", effect: "allow", conditions: { resource: "contacts/*" } },
            { action: "crm.note.create", effect: "require_approval", rateLimitPerMinute: 10 },
            { action: "payments.refund.issue", effect: "deny", justification: "Never touches money." },
          ],
        },
      },
    });
  });

  it("records the named deployer, and registers with no list and no technical owner", async () => {
    const { id: agentId } = await registerAgent(admin, actor, input({ deployedById: id("bo"), ownerIds: [id("ada")], technicalOwnerId: null, lines: [] }));
    const agent = await db().agent.findUniqueOrThrow({ where: { id: agentId }, include: { permissions: true } });
    expect(agent).toMatchObject({ deployedById: id("bo"), technicalOwnerId: null, environment: "staging" });
    expect(agent.permissions).toEqual([]);
  });

  it("does not happen when its audit row cannot be written", async () => {
    // A trigger that fails only this audit insert proves the agent, owners and lines share its transaction.
    await db().$executeRawUnsafe(`
      create function refuse_registration_audit() returns trigger language plpgsql as $$
      begin if new.type = 'agent.registered' then raise exception 'audit store refused'; end if; return new; end $$`);
    await db().$executeRawUnsafe(`create trigger refuse_registration_audit before insert on audit_event for each row execute function refuse_registration_audit()`);
    try {
      const before = await counts();
      await expect(registerAgent(admin, actor, input())).rejects.toThrow(/audit store refused/);
      expect(await counts()).toEqual(before);
    } finally {
      await db().$executeRawUnsafe(`drop trigger refuse_registration_audit on audit_event`);
      await db().$executeRawUnsafe(`drop function refuse_registration_audit()`);
    }
  });

  it("refuses a duplicate slug with 409 naming the field, even when two registrations race", async () => {
    const first = await registerAgent(admin, actor, input());
    const error = await refusal(input({ slug: first.slug }), "conflict");
    expect(error.fields).toEqual([{ path: "slug", message: "This slug is taken." }]);

    const slug = `race-${randomUUID().slice(0, 8)}`;
    const results = await Promise.allSettled([registerAgent(admin, actor, input({ slug })), registerAgent(admin, actor, input({ slug }))]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((result) => result.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    expect(await db().agent.count({ where: { slug } })).toBe(1);
  });

  const cases: Array<[string, () => unknown, AppError["code"], string]> = [
    ["an empty name", () => input({ name: "   " }), "validation_failed", "name"],
    ["a name over 120 characters", () => input({ name: "n".repeat(121) }), "validation_failed", "name"],
    ["an upper-case slug", () => input({ slug: "Support-Bot" }), "validation_failed", "slug"],
    ["a slug starting with a hyphen", () => input({ slug: "-support" }), "validation_failed", "slug"],
    ["a two-character slug", () => input({ slug: "ab" }), "validation_failed", "slug"],
    ["a slug over 64 characters", () => input({ slug: "a".repeat(65) }), "validation_failed", "slug"],
    ["a slug the console reserves", () => input({ slug: "new" }), "validation_failed", "slug"],
    ["a purpose under 10 characters", () => input({ purpose: "Helps." }), "validation_failed", "purpose"],
    ["a huge purpose", () => input({ purpose: "p".repeat(2001) }), "validation_failed", "purpose"],
    ["a huge justification", () => input({ lines: [{ ...LINES[0]!, justification: "j".repeat(2001) }] }), "validation_failed", "lines.0.justification"],
    ["an environment that is not one word", () => input({ environment: "prod env" }), "validation_failed", "environment"],
    ["no business owner", () => input({ ownerIds: [] }), "validation_failed", "ownerIds"],
    ["the same owner twice", () => input({ ownerIds: [id("ada"), id("ada")] }), "validation_failed", "ownerIds"],
    ["a technical owner who is also a business owner", () => input({ technicalOwnerId: id("bo") }), "validation_failed", "technicalOwnerId"],
    ["an owner id that is not a uuid", () => input({ ownerIds: ["ada"] }), "validation_failed", "ownerIds.0"],
    ["an unknown owner", () => input({ ownerIds: [id("ada"), randomUUID()] }), "unprocessable", "ownerIds.1"],
    ["a disabled owner", () => input({ ownerIds: [id("gone")] }), "unprocessable", "ownerIds.0"],
    ["a disabled technical owner", () => input({ technicalOwnerId: id("gone") }), "unprocessable", "technicalOwnerId"],
    ["an unknown deployer", () => input({ deployedById: randomUUID() }), "unprocessable", "deployedById"],
    ["an action not in the catalog", () => input({ lines: [LINES[0]!, { action: "crm.contact.erase", effect: "allow", justification: "x" }] }), "unprocessable", "lines.1.action"],
    ["an unknown effect", () => input({ lines: [{ ...LINES[0]!, effect: "maybe" as "allow" }] }), "validation_failed", "lines.0.effect"],
    [
      "a time window that ends before it starts",
      () => input({ lines: [{ ...LINES[0]!, conditions: { window: { days: ["mon"], from: "18:00", to: "09:00", tz: "UTC" } } }] }),
      "validation_failed",
      "lines.0.conditions.window.to",
    ],
    ["an unknown field", () => ({ ...input(), status: "active" }), "validation_failed", "(root)"],
  ];

  it.each(cases)("refuses %s and writes nothing", async (_label, make, code, path) => {
    const error = await refusal(make(), code);
    expect(error.fields?.map((field) => field.path)).toContain(path);
  });

  it("refuses a non-admin before looking at the input", async () => {
    const before = await counts();
    const error = await registerAgent({ id: id("ada"), roles: ["approver", "auditor"] }, { type: "person", personId: id("ada") }, input()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "forbidden" });
    expect(await counts()).toEqual(before);
  });
});

describe("listAgents filters", () => {
  it("filters by owner (business or technical) and by system on the written list", async () => {
    const a = await registerAgent(admin, actor, input({ ownerIds: [id("ada")], technicalOwnerId: null, lines: [LINES[2]!] }));
    const b = await registerAgent(admin, actor, input({ ownerIds: [id("bo")], technicalOwnerId: id("ada"), lines: [LINES[0]!] }));
    const c = await registerAgent(admin, actor, input({ ownerIds: [id("bo")], technicalOwnerId: null, lines: [] }));
    const slugs = async (filters: Record<string, string>) => (await listAgents(filters)).agents.map((agent) => agent.slug);

    const byAda = await slugs({ owner: id("ada") });
    expect(byAda).toEqual(expect.arrayContaining([a.slug, b.slug]));
    expect(byAda).not.toContain(c.slug);
    const onPayments = await slugs({ system: "payments" });
    expect(onPayments).toContain(a.slug);
    expect(onPayments).not.toContain(b.slug);
    expect(await slugs({ owner: id("ada"), system: "crm" })).toEqual(expect.arrayContaining([b.slug]));
    expect(await slugs({ owner: id("ada"), system: "crm" })).not.toContain(a.slug);
    expect(await slugs({ system: "nothing-here" })).toEqual([]);
  });

  it("drops malformed owner and system values instead of failing", async () => {
    const all = (await listAgents({})).agents.length;
    const result = await listAgents({ owner: "not-a-uuid", system: "CRM'; drop table agent;--" });
    expect(result.filters).toMatchObject({ owner: undefined, system: undefined });
    expect(result.agents).toHaveLength(all);
  });
});
