// The catalog's admin use cases: systems and actions created, edited and deleted with their audit
// rows (before → after) in the same transaction, every refusal writing nothing, and the role
// matrix of DESIGN.md section 3 (only admins manage the catalog).
import { beforeAll, describe, expect, it } from "vitest";
import { createAction } from "@/lib/catalog/create-action";
import { createPolicy } from "@/lib/catalog/create-policy";
import { createSystem } from "@/lib/catalog/create-system";
import { deleteAction } from "@/lib/catalog/delete-action";
import { deleteSystem } from "@/lib/catalog/delete-system";
import { updateAction } from "@/lib/catalog/update-action";
import { updateSystem } from "@/lib/catalog/update-system";
import { db } from "@/lib/db/client";
import { CHANGE_CHANNEL } from "@/lib/db/notify";
import { pool } from "@/lib/db/pool";
import type { Caller } from "@/lib/people/assert-can";
import { adminOnlyMatrix, actorOf, type AdminCase, counts, fieldPaths, lastAudit, makeAgentUsing, makePerson, refused } from "./admin-fixtures";

let admin: Caller;
let seq = 0;
const unique = (prefix: string) => `${prefix}${(seq += 1)}`;

beforeAll(async () => {
  admin = await makePerson(["admin"]);
});

async function system(key = unique("sys")) {
  return createSystem(admin, actorOf(admin), { key, name: `System ${key}`, description: "" });
}

async function action(systemKey: string, key = `${systemKey}.${unique("thing")}.read`) {
  return createAction(admin, actorOf(admin), { systemKey, key, name: "Read a thing", category: "read", risk: "low" });
}

describe("systems", () => {
  it("creates a system and audits it with before null and after the values, by the acting admin", async () => {
    const created = await createSystem(admin, actorOf(admin), { key: " crm ", name: " CRM ", description: "Contacts and deals." });
    expect(created).toMatchObject({ key: "crm", name: "CRM", description: "Contacts and deals." });
    const event = await lastAudit("catalog.system.created", created.id);
    expect(event).toMatchObject({
      actorType: "person",
      actorPersonId: admin.id,
      subjectType: "system",
      data: { before: null, after: { key: "crm", name: "CRM", description: "Contacts and deals." }, via: "console" },
    });
  });

  it("updates the name and description (not the key) and audits before → after; an unchanged edit writes nothing", async () => {
    const created = await system();
    const updated = await updateSystem(admin, actorOf(admin), { key: created.key, name: "Renamed", description: "Now described." });
    expect(updated).toMatchObject({ id: created.id, key: created.key, name: "Renamed", description: "Now described." });
    const event = await lastAudit("catalog.system.updated", created.id);
    expect(event.data).toMatchObject({ before: { name: created.name, description: "" }, after: { name: "Renamed", description: "Now described." } });

    const before = await counts();
    await updateSystem(admin, actorOf(admin), { key: created.key, name: "Renamed", description: "Now described." });
    expect(await counts()).toEqual(before);
  });

  it("deletes a system without actions, audited with what it was", async () => {
    const created = await system();
    await deleteSystem(admin, actorOf(admin), { key: created.key });
    expect(await db().system.findUnique({ where: { id: created.id } })).toBeNull();
    expect((await lastAudit("catalog.system.deleted", created.id)).data).toMatchObject({ before: { key: created.key, name: created.name }, after: null });
  });

  it.each([
    ["an upper-case key", { key: "CRM", name: "x" }, "key"],
    ["a key starting with a digit", { key: "1crm", name: "x" }, "key"],
    ["a one-letter key", { key: "c", name: "x" }, "key"],
    ["a key with a dot", { key: "crm.x", name: "x" }, "key"],
    ["a 41-character key", { key: `a${"b".repeat(40)}`, name: "x" }, "key"],
    ["an empty name", { key: "okkey", name: "   " }, "name"],
    ["a 201-character name", { key: "okkey", name: "n".repeat(201) }, "name"],
    ["a description over 2,000 characters", { key: "okkey", name: "x", description: "d".repeat(2001) }, "description"],
    ["an unknown field", { key: "okkey", name: "x", extra: 1 }, "(root)"],
  ])("refuses %s with 400, writing nothing", async (_label, input, path) => {
    const error = await refused("validation_failed", () => createSystem(admin, actorOf(admin), input as never));
    expect(fieldPaths(error)).toContain(path);
  });

  it("refuses a duplicate key with 409 on the key field, writing nothing", async () => {
    const created = await system();
    const error = await refused("conflict", () => createSystem(admin, actorOf(admin), { key: created.key, name: "Again" }));
    expect(fieldPaths(error)).toEqual(["key"]);
  });

  it("refuses to delete a system that has actions (409) or does not exist (404), writing nothing", async () => {
    const created = await system();
    await action(created.key);
    const error = await refused("conflict", () => deleteSystem(admin, actorOf(admin), { key: created.key }));
    expect(error.message).toMatch(/1 action; delete them first/);
    await refused("not_found", () => deleteSystem(admin, actorOf(admin), { key: "nosuchsystem" }));
    await refused("not_found", () => updateSystem(admin, actorOf(admin), { key: "nosuchsystem", name: "x" }));
  });
});

describe("a change that cannot be audited does not happen", () => {
  it("rolls the system back when its audit row fails (an actor the audit cannot reference)", async () => {
    const ghost = { type: "person" as const, personId: "00000000-0000-4000-8000-000000000000" };
    const before = await counts();
    await expect(createSystem(admin, ghost, { key: "unaudited", name: "Unaudited" })).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(await db().system.findUnique({ where: { key: "unaudited" } })).toBeNull();
  });
});

describe("change notifications for the decision caches", () => {
  it("announces a committed change at commit, and a refused one not at all", async () => {
    const listener = await pool().connect();
    const heard: unknown[] = [];
    listener.on("notification", (message) => heard.push(JSON.parse(message.payload ?? "null")));
    try {
      await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
      const sys = await system();
      const created = await action(sys.key);
      await refused("conflict", () => createAction(admin, actorOf(admin), { systemKey: sys.key, key: created.key, name: "x", category: "read", risk: "low" }));
      await listener.query("SELECT 1"); // lets pending notifications arrive
      expect(heard).toEqual([
        { kind: "catalog", id: sys.id },
        { kind: "catalog", id: created.id },
      ]);
    } finally {
      await listener.query(`UNLISTEN ${CHANGE_CHANNEL}`);
      listener.release();
    }
  });
});

describe("actions", () => {
  it("creates an action under its system and audits it", async () => {
    const sys = await system();
    const created = await createAction(admin, actorOf(admin), {
      systemKey: sys.key,
      key: `${sys.key}.invoice.pay`,
      name: "Pay invoice",
      description: "Pays it.",
      category: "financial",
      risk: "critical",
    });
    expect(created).toMatchObject({ key: `${sys.key}.invoice.pay`, category: "financial", risk: "critical" });
    expect((await db().action.findUniqueOrThrow({ where: { id: created.id }, select: { system: { select: { key: true } } } })).system.key).toBe(sys.key);
    expect((await lastAudit("catalog.action.created", created.id)).data).toMatchObject({
      before: null,
      after: { system: sys.key, key: `${sys.key}.invoice.pay`, name: "Pay invoice", category: "financial", risk: "critical" },
    });
  });

  it("updates category and risk, auditing only what changed (before → after)", async () => {
    const sys = await system();
    const created = await action(sys.key);
    const updated = await updateAction(admin, actorOf(admin), { key: created.key, name: created.name, category: "write", risk: "high" });
    expect(updated).toMatchObject({ category: "write", risk: "high" });
    expect((await lastAudit("catalog.action.updated", created.id)).data).toMatchObject({
      key: created.key,
      before: { category: "read", risk: "low" },
      after: { category: "write", risk: "high" },
    });
  });

  it("deletes an unused action, audited", async () => {
    const sys = await system();
    const created = await action(sys.key);
    await deleteAction(admin, actorOf(admin), { key: created.key });
    expect(await db().action.findUnique({ where: { id: created.id } })).toBeNull();
    expect((await lastAudit("catalog.action.deleted", created.id)).data).toMatchObject({ before: { key: created.key, system: sys.key }, after: null });
  });

  it("refuses an action key that is not under its system (400 on key), writing nothing", async () => {
    const sys = await system();
    const other = await system();
    for (const key of [`${other.key}.thing.read`, `${sys.key}x.thing.read`, sys.key]) {
      const error = await refused("validation_failed", () => createAction(admin, actorOf(admin), { systemKey: sys.key, key, name: "x", category: "read", risk: "low" }));
      expect(fieldPaths(error)).toContain("key");
    }
  });

  it.each([
    ["an upper-case key", { key: "SYS.Read" }, "key"],
    ["a key with a space", { key: "sys.read it" }, "key"],
    ["an unknown category", { category: "exfiltrate" }, "category"],
    ["an unknown risk", { risk: "extreme" }, "risk"],
    ["an empty name", { name: "" }, "name"],
  ])("refuses %s with 400, writing nothing", async (_label, change, path) => {
    const error = await refused("validation_failed", () =>
      createAction(admin, actorOf(admin), { systemKey: "sys", key: "sys.thing.read", name: "x", category: "read", risk: "low", ...change } as never),
    );
    expect(fieldPaths(error)).toContain(path);
  });

  it("refuses a duplicate key (409) and an unknown system (422), writing nothing", async () => {
    const sys = await system();
    const created = await action(sys.key);
    const duplicate = await refused("conflict", () => createAction(admin, actorOf(admin), { systemKey: sys.key, key: created.key, name: "x", category: "read", risk: "low" }));
    expect(fieldPaths(duplicate)).toEqual(["key"]);
    const unknown = await refused("unprocessable", () => createAction(admin, actorOf(admin), { systemKey: "ghost", key: "ghost.thing.read", name: "x", category: "read", risk: "low" }));
    expect(fieldPaths(unknown)).toEqual(["systemKey"]);
    await refused("not_found", () => updateAction(admin, actorOf(admin), { key: "ghost.thing.read", name: "x", category: "read", risk: "low" }));
  });

  it("refuses to delete an action on agents' lists (409 naming how many agents), writing nothing", async () => {
    const sys = await system();
    const used = await action(sys.key);
    await makeAgentUsing(used.id, admin);
    await makeAgentUsing(used.id, admin);
    const error = await refused("conflict", () => deleteAction(admin, actorOf(admin), { key: used.key }));
    expect(error.message).toContain("2 agents use it (2 list lines)");
  });

  it("refuses to delete an action a global policy names (409), writing nothing", async () => {
    const sys = await system();
    const used = await action(sys.key);
    await createPolicy(admin, actorOf(admin), { name: unique("policy on action "), action: used.key, requiredApprovals: 1 });
    const error = await refused("conflict", () => deleteAction(admin, actorOf(admin), { key: used.key }));
    expect(error.message).toContain("1 global policy names it");
  });
});

describe("role matrix: only admins manage the catalog (DESIGN.md section 3)", () => {
  // prepare runs as the admin before counting; call is the one thing the role may or may not do.
  const cases: AdminCase[] = [
    { useCase: "createSystem", prepare: async () => unique("matrix"), call: (caller, key) => createSystem(caller, actorOf(caller), { key, name: "M" }) },
    { useCase: "updateSystem", prepare: async () => (await system()).key, call: (caller, key) => updateSystem(caller, actorOf(caller), { key, name: "Changed" }) },
    { useCase: "deleteSystem", prepare: async () => (await system()).key, call: (caller, key) => deleteSystem(caller, actorOf(caller), { key }) },
    {
      useCase: "createAction",
      prepare: async () => (await system()).key,
      call: (caller, key) => createAction(caller, actorOf(caller), { systemKey: key, key: `${key}.thing.read`, name: "M", category: "read", risk: "low" }),
    },
    {
      useCase: "updateAction",
      prepare: async () => (await action((await system()).key)).key,
      call: (caller, key) => updateAction(caller, actorOf(caller), { key, name: "Changed", category: "write", risk: "medium" }),
    },
    { useCase: "deleteAction", prepare: async () => (await action((await system()).key)).key, call: (caller, key) => deleteAction(caller, actorOf(caller), { key }) },
  ];

  adminOnlyMatrix(cases);
});
