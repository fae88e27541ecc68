// The written-list editor's use cases against a real database: every change audited in its own
// transaction with before → after and a list version bump; only admins may change a list; bad
// input, unknown actions and retired agents are refused and write nothing.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { addPermission } from "@/lib/permissions/add-permission";
import { movePermission } from "@/lib/permissions/move-permission";
import { removePermission } from "@/lib/permissions/remove-permission";
import { updatePermission } from "@/lib/permissions/update-permission";

type Person = { id: string; roles: Role[] };
const people = {} as Record<"admin" | "approver" | "auditor" | "owner" | "technical" | "nobody", Person>;
let agentId: string;
let retiredId: string;

const actorOf = (person: Person): Actor => ({ type: "person", personId: person.id, via: "console" });
const add = (input: Record<string, unknown>, who = people.admin) => addPermission(who, actorOf(who), { agentId, ...input });
const readLine = { action: "crm.contact.read", effect: "allow", justification: "Looks up the customer." };

beforeAll(async () => {
  const make = async (key: keyof typeof people, roles: Role[]) => {
    const row = await db().person.create({ data: { email: `${key}@editor.test`, name: key, roles } });
    people[key] = { id: row.id, roles };
  };
  await make("admin", ["admin"]);
  await make("approver", ["approver"]);
  await make("auditor", ["auditor"]);
  await make("owner", []);
  await make("technical", []);
  await make("nobody", []);
  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  await db().action.createMany({
    data: [
      { systemId: system.id, key: "crm.contact.read", name: "Read contact", category: "read", risk: "low" },
      { systemId: system.id, key: "crm.contact.update", name: "Update contact", category: "write", risk: "medium" },
      { systemId: system.id, key: "crm.record.delete", name: "Delete record", category: "delete", risk: "high" },
    ],
  });
  const agent = await db().agent.create({
    data: { slug: "editor-bot", name: "Editor bot", purpose: "Tests the editor.", deployedById: people.technical.id, technicalOwnerId: people.technical.id, status: "active" },
  });
  agentId = agent.id;
  await db().agentOwner.create({ data: { agentId, personId: people.owner.id } });
  retiredId = (await db().agent.create({ data: { slug: "retired-bot", name: "Retired", purpose: "Gone.", deployedById: people.admin.id, status: "retired" } })).id;
});

async function lines() {
  return db().permission.findMany({ where: { agentId }, orderBy: { position: "asc" }, include: { action: { select: { key: true } } } });
}

async function listVersion(id = agentId) {
  return (await db().agent.findUniqueOrThrow({ where: { id }, select: { listVersion: true } })).listVersion;
}

/** Everything a refused change must leave as it was. */
async function state() {
  const [rows, audits, version] = await Promise.all([lines(), db().auditEvent.count(), listVersion()]);
  return { rows: rows.map((row) => ({ ...row, updatedAt: undefined })), audits, version };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("the written-list editor", () => {
  it("adds lines at the end, bumps the list version and audits each with its after", async () => {
    const version = await listVersion();
    const first = await add(readLine);
    const second = await add({
      action: "crm.contact.update",
      effect: "allow",
      conditions: { resource: "contacts/*", params: { field: { oneOf: ["company", "title"] } }, window: { days: ["mon", "tue"], from: "08:00", to: "18:00" } },
      onConditionFail: "require_approval",
      rateLimitPerMinute: "10",
      justification: "  Fills in firmographic fields.  ",
    });
    expect(second.listVersion).toBe(version + 2);

    const [one, two] = await lines();
    expect(one).toMatchObject({ id: first.id, position: 0, effect: "allow", conditions: null, addedById: people.admin.id, action: { key: "crm.contact.read" } });
    expect(two).toMatchObject({
      id: second.id,
      position: 1,
      onConditionFail: "require_approval",
      rateLimitPerMinute: 10,
      rateLimitPerHour: null,
      justification: "Fills in firmographic fields.",
      conditions: { resource: "contacts/*", params: { field: { oneOf: ["company", "title"] } }, window: { days: ["mon", "tue"], from: "08:00", to: "18:00", tz: "UTC" } },
    });

    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "permission.added", subjectId: second.id } });
    expect(event).toMatchObject({ actorType: "person", actorPersonId: people.admin.id, agentId, subjectType: "permission" });
    expect(event.data).toMatchObject({ agentId, before: null, after: { id: second.id, action: "crm.contact.update", position: 1, rateLimitPerMinute: 10 }, listVersion: version + 2, via: "console" });
  });

  it("updates a line in place and records before and after", async () => {
    const [line] = await lines();
    const version = await listVersion();
    const result = await updatePermission(people.admin, actorOf(people.admin), {
      agentId,
      permissionId: line?.id,
      action: "crm.contact.read",
      effect: "require_approval",
      conditions: { resource: "contacts/**" },
      justification: "Reads contacts, with a person watching.",
    });
    expect(result.listVersion).toBe(version + 1);
    const after = await db().permission.findUniqueOrThrow({ where: { id: line?.id } });
    expect(after).toMatchObject({ position: 0, effect: "require_approval", conditions: { resource: "contacts/**" }, addedById: people.admin.id });

    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "permission.updated", subjectId: line?.id }, orderBy: { id: "desc" } });
    expect(event.data).toMatchObject({ before: { effect: "allow", conditions: null }, after: { effect: "require_approval", conditions: { resource: "contacts/**" } } });

    // Editing the conditions away leaves none, not an empty object.
    await updatePermission(people.admin, actorOf(people.admin), { agentId, permissionId: line?.id, ...readLine, conditions: { params: {} } });
    expect((await db().permission.findUniqueOrThrow({ where: { id: line?.id } })).conditions).toBeNull();
  });

  it("moves a line, keeps positions contiguous, and a move to the same place writes nothing", async () => {
    const third = await add({ action: "crm.record.delete", effect: "deny", justification: "Never deletes." });
    const before = (await lines()).map((row) => row.id);
    expect(before).toHaveLength(3);

    const moved = await movePermission(people.admin, actorOf(people.admin), { agentId, permissionId: third.id, to: 0 });
    expect(moved.position).toBe(0);
    const after = await lines();
    expect(after.map((row) => row.id)).toEqual([third.id, before[0], before[1]]);
    expect(after.map((row) => row.position)).toEqual([0, 1, 2]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "permission.moved", subjectId: third.id } });
    expect(event.data).toMatchObject({ before: { position: 2 }, after: { position: 0, order: [third.id, before[0], before[1]] } });

    const unchanged = await state();
    await movePermission(people.admin, actorOf(people.admin), { agentId, permissionId: third.id, to: 0 });
    expect(await state()).toEqual(unchanged);

    // Past the end means last.
    await movePermission(people.admin, actorOf(people.admin), { agentId, permissionId: third.id, to: 99 });
    expect((await lines()).map((row) => row.id)).toEqual([before[0], before[1], third.id]);
  });

  it("removes a line, closes the gap and records what was removed", async () => {
    const [first, second, third] = await lines();
    const version = await listVersion();
    const result = await removePermission(people.admin, actorOf(people.admin), { agentId, permissionId: second?.id });
    expect(result.listVersion).toBe(version + 1);
    const after = await lines();
    expect(after.map((row) => [row.id, row.position])).toEqual([
      [first?.id, 0],
      [third?.id, 1],
    ]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "permission.removed", subjectId: second?.id } });
    expect(event.data).toMatchObject({ agentId, before: { id: second?.id, action: "crm.contact.update" }, after: null });
  });

  it("applies concurrent additions one after another", async () => {
    const version = await listVersion();
    const count = (await lines()).length;
    await Promise.all(Array.from({ length: 4 }, (_, index) => add({ ...readLine, justification: `Concurrent ${index}` })));
    const after = await lines();
    expect(after.map((row) => row.position)).toEqual(Array.from({ length: count + 4 }, (_, index) => index));
    expect(await listVersion()).toBe(version + 4);
  });
});

describe("who may change a list", () => {
  const others = ["approver", "auditor", "owner", "technical", "nobody"] as const;
  it.each(others)("a person who is %s (not an admin) is refused every change, and nothing is written", async (who) => {
    const person = people[who];
    const [line] = await lines();
    const before = await state();
    const attempts = [
      () => addPermission(person, actorOf(person), { agentId, ...readLine }),
      () => updatePermission(person, actorOf(person), { agentId, permissionId: line?.id, ...readLine }),
      () => removePermission(person, actorOf(person), { agentId, permissionId: line?.id }),
      () => movePermission(person, actorOf(person), { agentId, permissionId: line?.id, to: 1 }),
      // A bad line does not get a non-admin past the role check either.
      () => addPermission(person, actorOf(person), { agentId, action: "nope" }),
    ];
    for (const attempt of attempts) expect((await refusal(attempt())).code).toBe("forbidden");
    expect(await state()).toEqual(before);
  });
});

describe("refused input writes nothing", () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ["an action not in the catalog", { ...readLine, action: "crm.contact.merge" }, "unprocessable", "action"],
    ["a malformed action key", { ...readLine, action: "CRM Contact" }, "validation_failed", "action"],
    ["an unknown effect", { ...readLine, effect: "maybe" }, "validation_failed", "effect"],
    ["an empty resource pattern", { ...readLine, conditions: { resource: "  " } }, "validation_failed", "conditions.resource"],
    ["a window that ends before it starts", { ...readLine, conditions: { window: { from: "18:00", to: "08:00" } } }, "validation_failed", "conditions.window.to"],
    ["a window that ends when it starts", { ...readLine, conditions: { window: { from: "08:00", to: "08:00" } } }, "validation_failed", "conditions.window.to"],
    ["a window with no days", { ...readLine, conditions: { window: { days: [], from: "08:00", to: "18:00" } } }, "validation_failed", "conditions.window.days"],
    ["a window in an unknown time zone", { ...readLine, conditions: { window: { from: "08:00", to: "18:00", tz: "Mars/Olympus" } } }, "validation_failed", "conditions.window.tz"],
    ["a minimum above the maximum", { ...readLine, conditions: { params: { amount: { min: 10, max: 1 } } } }, "validation_failed", "conditions.params.amount"],
    ["a bad domain", { ...readLine, conditions: { params: { to: { domains: ["not a domain"] } } } }, "validation_failed", "conditions.params.to.domains.0"],
    ["unknown keys in the conditions", { ...readLine, conditions: { resource: "a/*", script: "rm -rf" } }, "validation_failed", "conditions"],
    ["unknown keys in a limit", { ...readLine, conditions: { params: { amount: { max: 5, regex: ".*" } } } }, "validation_failed", "conditions.params.amount"],
    ["an unknown field on the line", { ...readLine, position: 0 }, "validation_failed", "(root)"],
    ["a huge justification", { ...readLine, justification: "x".repeat(2001) }, "validation_failed", "justification"],
    ["an empty justification", { ...readLine, justification: "   " }, "validation_failed", "justification"],
    ["a rate limit of zero", { ...readLine, rateLimitPerMinute: 0 }, "validation_failed", "rateLimitPerMinute"],
    ["a deny line with conditions", { ...readLine, effect: "deny", conditions: { resource: "a/*" } }, "validation_failed", "conditions"],
  ];

  it.each(cases)("%s", async (_name, input, code, field) => {
    const before = await state();
    const error = await refusal(add(input));
    expect(error.code).toBe(code);
    expect(error.fields?.map((invalid) => invalid.path)).toContain(field);
    expect(await state()).toEqual(before);
  });

  it("refuses a retired agent's list (409) and an unknown agent (404)", async () => {
    const retiredVersion = await listVersion(retiredId);
    const before = await state();
    expect((await refusal(addPermission(people.admin, actorOf(people.admin), { agentId: retiredId, ...readLine }))).code).toBe("conflict");
    expect((await refusal(addPermission(people.admin, actorOf(people.admin), { agentId: randomUUID(), ...readLine }))).code).toBe("not_found");
    expect((await refusal(addPermission(people.admin, actorOf(people.admin), { agentId: "editor-bot", ...readLine }))).code).toBe("validation_failed");
    expect((await refusal(removePermission(people.admin, actorOf(people.admin), { agentId, permissionId: randomUUID() }))).code).toBe("not_found");
    expect(await listVersion(retiredId)).toBe(retiredVersion);
    expect(await state()).toEqual(before);
  });

  it("does not let a line of another agent be edited through this one", async () => {
    const other = await db().agent.create({ data: { slug: "other-bot", name: "Other", purpose: "Other.", deployedById: people.admin.id, status: "active" } });
    const foreign = await addPermission(people.admin, actorOf(people.admin), { agentId: other.id, ...readLine });
    const before = await state();
    expect((await refusal(removePermission(people.admin, actorOf(people.admin), { agentId, permissionId: foreign.id }))).code).toBe("not_found");
    expect((await refusal(updatePermission(people.admin, actorOf(people.admin), { agentId, permissionId: foreign.id, ...readLine }))).code).toBe("not_found");
    expect(await state()).toEqual(before);
  });

  it("rolls the change back when its audit row cannot be written", async () => {
    const before = await state();
    // An actor that is no person: the audit row's foreign key fails, so the line must not stay.
    const ghost: Actor = { type: "person", personId: randomUUID(), via: "console" };
    await expect(addPermission(people.admin, ghost, { agentId, ...readLine })).rejects.toThrow();
    expect(await state()).toEqual(before);
  });
});
