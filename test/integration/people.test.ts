import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { createPerson, type CreatePersonInput } from "@/lib/people/create-person";

const actor: Actor = { type: "system", via: "test" };
const STRONG = "Blue-Kettle-47-harbour";

async function create(input: CreatePersonInput) {
  return db().$transaction((tx) => createPerson(tx, actor, input));
}

async function counts() {
  return Promise.all([db().person.count(), db().auditEvent.count()]);
}

async function failure(input: CreatePersonInput): Promise<AppError> {
  const before = await counts();
  const error = await create(input).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect(await counts()).toEqual(before);
  return error as AppError;
}

describe("createPerson", () => {
  it("creates a person with a normalised e-mail and a hashed password, and audits it without the password", async () => {
    const person = await create({ email: "  Ada.Lovelace@Example.COM ", name: " Ada Lovelace ", roles: ["approver", "auditor", "approver"], password: STRONG });
    expect(person).toMatchObject({ email: "ada.lovelace@example.com", name: "Ada Lovelace" });
    expect([...person.roles].sort()).toEqual(["approver", "auditor"]);

    const stored = await db().person.findUniqueOrThrow({ where: { id: person.id }, omit: { passwordHash: false } });
    expect(stored.passwordHash).not.toContain(STRONG);
    expect(await verifyPassword(STRONG, stored.passwordHash)).toBe(true);

    const events = await db().auditEvent.findMany({ where: { type: "person.created", subjectId: person.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "system", subjectType: "person", data: { email: "ada.lovelace@example.com", via: "test", withPassword: true } });
    expect(JSON.stringify({ data: events[0]?.data, reasoning: events[0]?.reasoning })).not.toContain(STRONG);
  });

  it("creates a person without a password (to sign in another way) with no hash", async () => {
    const person = await create({ email: "owner.only@example.com", name: "Owner Only" });
    const stored = await db().person.findUniqueOrThrow({ where: { id: person.id }, omit: { passwordHash: false } });
    expect(stored.passwordHash).toBeNull();
    expect(stored.roles).toEqual([]);
  });

  it.each([
    ["too short", "Short-1a"],
    ["one character class", "abcdefghijklmnop"],
    ["contains the e-mail", "Weak.Person-2024!"],
    ["a common word", "Password-Blue-77"],
  ])("refuses a weak password (%s) with the reason, writing nothing", async (_label, password) => {
    const error = await failure({ email: "weak.person@example.com", name: "Weak Person", password });
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/too weak: .+/);
    expect(error.fields?.[0]?.path).toBe("password");
  });

  it.each([
    ["a bad e-mail", { email: "not-an-email", name: "Someone" }, "email"],
    ["an empty e-mail", { email: "   ", name: "Someone" }, "email"],
    ["an empty name", { email: "someone@example.com", name: "  " }, "name"],
    ["a name over 200 characters", { email: "someone@example.com", name: "x".repeat(201) }, "name"],
    ["an unknown role", { email: "someone@example.com", name: "Someone", roles: ["owner"] }, "roles.0"],
  ])("refuses %s, writing nothing", async (_label, input, path) => {
    const error = await failure(input as CreatePersonInput);
    expect(error.code).toBe("validation_failed");
    expect(error.fields?.map((field) => field.path)).toContain(path);
  });

  it("refuses a duplicate e-mail, whatever its case, as a conflict, writing nothing", async () => {
    await create({ email: "dup@example.com", name: "First", password: STRONG });
    const error = await failure({ email: "DUP@Example.com", name: "Second", password: STRONG });
    expect(error.code).toBe("conflict");
  });
});
