import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { authenticate, SIGN_IN_POLICY } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { ACCOUNT_DISABLED, WRONG_CREDENTIALS } from "@/lib/auth/sign-in-messages";

const PASSWORD = "Correct-Horse-42!";
const T0 = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

// Records the slowdown instead of waiting it out.
function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function createPerson(overrides: { disabled?: boolean } = {}) {
  const email = `person-${randomUUID()}@example.com`;
  const person = await db().person.create({
    data: { email, name: "Test Person", passwordHash: await hashPassword(PASSWORD), roles: ["approver"], ...overrides },
  });
  return { ...person, email };
}

async function counters(id: string) {
  return db().person.findUniqueOrThrow({ where: { id }, select: { failedLoginCount: true, lockedUntil: true, lastLoginAt: true } });
}

async function auditTypes(personId: string) {
  const rows = await db().auditEvent.findMany({ where: { subjectId: personId }, orderBy: { id: "asc" }, select: { type: true, data: true } });
  return rows.map((row) => ({ type: row.type, reason: (row.data as { reason?: string } | null)?.reason }));
}

describe("authenticate", () => {
  it("stores only an scrypt hash of the password", async () => {
    const person = await createPerson();
    const { rows } = await pool().query<{ password_hash: string }>("SELECT password_hash FROM person WHERE id = $1", [person.id]);
    expect(rows[0]?.password_hash.startsWith("scrypt$")).toBe(true);
    expect(rows[0]?.password_hash).not.toContain(PASSWORD);
  });

  it("refuses a wrong password with the generic message, counts it and audits it", async () => {
    const person = await createPerson();
    const result = await authenticate({ email: person.email, password: "wrong-password", ip: "203.0.113.7", now: T0 });
    expect(result).toMatchObject({ ok: false, message: WRONG_CREDENTIALS, reason: "wrong_password" });
    expect((await counters(person.id)).failedLoginCount).toBe(1);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { subjectId: person.id } });
    expect(audit).toMatchObject({ type: "person.sign_in_failed", actorPersonId: person.id, ip: "203.0.113.7" });
    expect(audit.data).toMatchObject({ reason: "wrong_password" });
    expect(JSON.stringify(audit, (_key, value) => (typeof value === "bigint" ? String(value) : value))).not.toContain("wrong-password");
  });

  it("gives an unknown e-mail the same message and audits it without a person", async () => {
    const email = `nobody-${randomUUID()}@example.com`;
    const result = await authenticate({ email, password: PASSWORD, now: T0 });
    expect(result).toMatchObject({ ok: false, message: WRONG_CREDENTIALS });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "person.sign_in_failed", data: { path: ["email"], equals: email } } });
    expect(audit).toMatchObject({ actorType: "system", actorPersonId: null });
    expect(JSON.stringify(audit.data)).not.toContain(PASSWORD);
  });

  it("normalises the e-mail and rejects a malformed one", async () => {
    const person = await createPerson();
    const result = await authenticate({ email: `  ${person.email.toUpperCase()} `, password: PASSWORD, now: T0 });
    expect(result.ok).toBe(true);
    expect(await authenticate({ email: "not-an-email", password: PASSWORD })).toMatchObject({ ok: false, reason: "invalid_input" });
    expect(await authenticate({ email: person.email, password: "" })).toMatchObject({ ok: false, reason: "invalid_input" });
  });

  it("signs in with the right password, resets the counter, sets lastLoginAt and audits it", async () => {
    const person = await createPerson();
    await authenticate({ email: person.email, password: "nope-1", now: T0 });
    await authenticate({ email: person.email, password: "nope-2", now: T0 });
    const result = await authenticate({ email: person.email, password: PASSWORD, now: minutes(1) });
    expect(result).toEqual({ ok: true, person: { id: person.id, email: person.email, name: "Test Person", roles: ["approver"] } });
    expect(await counters(person.id)).toEqual({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: minutes(1) });
    expect((await auditTypes(person.id)).at(-1)).toEqual({ type: "person.signed_in", reason: undefined });
  });

  it("slows attempts after three failures, then locks for 15 minutes at five", async () => {
    const person = await createPerson();
    const { waits, sleep } = recorder();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const result = await authenticate({ email: person.email, password: `wrong-${attempt}`, now: T0 }, { sleep });
      expect(result).toMatchObject({ ok: false, message: WRONG_CREDENTIALS });
    }
    // The 4th attempt waited after 3 failures; the 5th waits longer and locks.
    const fifth = await authenticate({ email: person.email, password: "wrong-5", now: T0 }, { sleep });
    expect(fifth).toMatchObject({ ok: false, reason: "locked", message: "Too many failed sign-ins. Try again in 15 minutes." });
    expect(waits).toEqual([500, 1000]);
    expect(waits.every((ms) => ms <= SIGN_IN_POLICY.maxDelayMs)).toBe(true);

    const lockedUntil = (await counters(person.id)).lockedUntil;
    expect(lockedUntil).toEqual(minutes(15));

    // While locked even the right password is refused, and the lock is not extended.
    const whileLocked = await authenticate({ email: person.email, password: PASSWORD, now: minutes(10) }, { sleep });
    expect(whileLocked).toMatchObject({ ok: false, reason: "locked", message: "Too many failed sign-ins. Try again in 5 minutes." });
    await authenticate({ email: person.email, password: "wrong-6", now: minutes(14) }, { sleep });
    expect(await counters(person.id)).toMatchObject({ failedLoginCount: 5, lockedUntil: minutes(15) });

    const afterLock = await authenticate({ email: person.email, password: PASSWORD, now: minutes(15) }, { sleep });
    expect(afterLock.ok).toBe(true);
    expect(await counters(person.id)).toMatchObject({ failedLoginCount: 0, lockedUntil: null });
    expect(waits).toEqual([500, 1000]);

    const reasons = (await auditTypes(person.id)).map((row) => row.reason ?? row.type);
    expect(reasons).toEqual([...Array(5).fill("wrong_password"), "locked", "locked", "person.signed_in"]);
  });

  it("restarts the count after a lock has run out", async () => {
    const person = await createPerson();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await authenticate({ email: person.email, password: "wrong", now: T0 }, { sleep: async () => {} });
    }
    const { waits, sleep } = recorder();
    const later = await authenticate({ email: person.email, password: "wrong-again", now: minutes(16) }, { sleep });
    expect(later).toMatchObject({ ok: false, reason: "wrong_password", message: WRONG_CREDENTIALS });
    expect(waits).toEqual([]);
    expect(await counters(person.id)).toMatchObject({ failedLoginCount: 1, lockedUntil: null });
  });

  it("refuses a disabled account with the right password, and gives nothing away with a wrong one", async () => {
    const person = await createPerson({ disabled: true });
    expect(await authenticate({ email: person.email, password: PASSWORD, now: T0 })).toMatchObject({ ok: false, message: ACCOUNT_DISABLED });
    expect(await authenticate({ email: person.email, password: "wrong", now: T0 })).toMatchObject({ ok: false, message: WRONG_CREDENTIALS });
    expect((await counters(person.id)).lastLoginAt).toBeNull();
    expect((await auditTypes(person.id)).map((row) => row.reason)).toEqual(["disabled", "wrong_password"]);
  });

  it("keeps the account locked when ten wrong guesses arrive at once", async () => {
    const person = await createPerson();
    const guesses = Array.from({ length: 10 }, (_, index) =>
      authenticate({ email: person.email, password: `guess-${index}`, now: T0 }, { sleep: async () => {} }),
    );
    const results = await Promise.all(guesses);
    expect(results.every((result) => !result.ok)).toBe(true);
    const after = await counters(person.id);
    expect(after.failedLoginCount).toBeGreaterThanOrEqual(SIGN_IN_POLICY.lockAfter);
    expect(after.lockedUntil).toEqual(minutes(15));
    expect(await authenticate({ email: person.email, password: PASSWORD, now: minutes(1) })).toMatchObject({ ok: false, reason: "locked" });
    // Every guess left exactly one audit row.
    expect(await db().auditEvent.count({ where: { subjectId: person.id } })).toBe(11);
  });
});
