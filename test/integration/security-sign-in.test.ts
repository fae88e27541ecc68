// Sign-in must not tell an attacker which e-mail addresses have accounts: a run of wrong guesses
// against an unknown address gets the same answers, after the same waits, as against a real one
// (slowed after three, "locked" at five, for the same minutes) — only the audit knows the difference.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";

const T0 = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** What the attacker observes of a series of attempts: each answer's text and the wait before it. */
async function observe(email: string, attempts: Array<{ password: string; at: Date }>) {
  const seen: Array<{ message: string; waitedMs: number }> = [];
  for (const { password, at } of attempts) {
    let waitedMs = 0;
    const result = await authenticate({ email, password, now: at }, { sleep: async (ms) => void (waitedMs += ms) });
    expect(result.ok).toBe(false);
    seen.push({ message: result.ok ? "" : result.message, waitedMs });
  }
  return seen;
}

describe("no account oracle in sign-in", () => {
  const guesses = [
    ...Array.from({ length: 6 }, (_, index) => ({ password: `guess-${index}`, at: minutes(index) })),
    // After the lock has run out the count starts again.
    { password: "guess-after", at: minutes(25) },
  ];

  it("answers an unknown e-mail exactly as a real account, through the slowdown and the lock", async () => {
    const real = `real-${randomUUID()}@example.com`;
    await db().person.create({ data: { email: real, name: "Real Person", passwordHash: await hashPassword("Correct-Horse-42!") } });
    const unknown = `nobody-${randomUUID()}@example.com`;

    const forReal = await observe(real, guesses);
    const forUnknown = await observe(unknown, guesses);
    expect(forReal.map((answer) => answer.message)).toContain("Too many failed sign-ins. Try again in 15 minutes.");
    expect(forUnknown).toEqual(forReal);

    // The audit still tells the truth about each attempt.
    const audits = await db().auditEvent.findMany({ where: { type: "person.sign_in_failed", data: { path: ["email"], equals: unknown } } });
    expect(audits).toHaveLength(guesses.length);
    expect(audits.every((row) => (row.data as { reason?: string }).reason === "unknown_email")).toBe(true);
  });

  it("keeps the unknown-address answers per address: one address's lock is not another's", async () => {
    const first = `nobody-${randomUUID()}@example.com`;
    const second = `nobody-${randomUUID()}@example.com`;
    const locked = await observe(first, guesses.slice(0, 5));
    expect(locked.at(-1)?.message).toMatch(/^Too many failed sign-ins/);
    const fresh = await observe(second, guesses.slice(0, 1));
    expect(fresh).toEqual([{ message: "Wrong e-mail or password.", waitedMs: 0 }]);
  });
});
