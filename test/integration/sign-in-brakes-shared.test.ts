// The sign-in brakes that are not on a person row — per client address, and for e-mail addresses
// with no account — live in PostgreSQL, so several console instances brake together: what one
// instance counted (written here by SQL, as another instance's connection would) brakes this one,
// guesses arriving at once are each counted, and an unknown address is slowed and locked exactly
// as a real account is.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { authenticate, SIGN_IN_POLICY } from "@/lib/auth/authenticate";
import { CLIENT_POLICY, resetClientThrottle } from "@/lib/auth/client-throttle";
import { hashPassword } from "@/lib/auth/password";
import { WRONG_CREDENTIALS } from "@/lib/auth/sign-in-messages";
import { resetStrangers } from "@/lib/auth/stranger-brake";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";

const PASSWORD = "Correct-Horse-42!";
const T0 = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const noWait = { sleep: async () => {} };

beforeEach(async () => {
  await resetClientThrottle();
  await resetStrangers();
});

async function createPerson() {
  const email = `shared-${randomUUID()}@example.com`;
  return db().person.create({ data: { email, name: "Pat Shared", passwordHash: await hashPassword(PASSWORD), roles: ["approver"] } });
}

const stored = async (client: string) =>
  (await pool().query<{ n: number; newest: Date }>("SELECT cardinality(failed_at) AS n, failed_at[1] AS newest FROM sign_in_client_failure WHERE client = $1", [client])).rows[0];

describe("the per-client brake, shared", () => {
  it("refuses a client whose failures another instance counted", async () => {
    const person = await createPerson();
    const times = Array.from({ length: CLIENT_POLICY.maxFailures }, (_, i) => minutes(-i / 10));
    await pool().query("INSERT INTO sign_in_client_failure (client, failed_at, last_failed_at) VALUES ($1, $2::timestamptz[], $3)", ["198.51.100.77", times, T0]);
    expect(await authenticate({ email: person.email, password: PASSWORD, client: "198.51.100.77", now: minutes(1) })).toMatchObject({ ok: false, reason: "locked" });
    // An IPv6 client is stored under its /64, as every instance keys it.
    await authenticate({ email: person.email, password: "wrong", client: "2001:db8:42:1::9", now: T0 });
    expect(await stored("2001:db8:42:1::/64")).toMatchObject({ n: 1, newest: T0 });
  });

  it("counts each of many failures arriving at once, keeping the newest up to the budget", async () => {
    const person = await createPerson();
    const guesses = Array.from({ length: CLIENT_POLICY.maxFailures + 10 }, (_, i) =>
      authenticate({ email: `nobody-${i}-${randomUUID().slice(0, 6)}@example.com`, password: "Summer2026!", client: "203.0.113.200", now: minutes(i / 100) }, noWait),
    );
    expect((await Promise.all(guesses)).every((result) => !result.ok)).toBe(true);
    expect(await stored("203.0.113.200")).toMatchObject({ n: CLIENT_POLICY.maxFailures });
    expect(await authenticate({ email: person.email, password: PASSWORD, client: "203.0.113.200", now: minutes(1) })).toMatchObject({ ok: false, reason: "locked" });
  });

  it("forgets clients quiet for a whole window as new failures come in", async () => {
    await authenticate({ email: `a-${randomUUID()}@example.com`, password: "x", client: "192.0.2.1", now: T0 }, noWait);
    await authenticate({ email: `b-${randomUUID()}@example.com`, password: "x", client: "192.0.2.2", now: minutes(CLIENT_POLICY.windowMinutes + 1) }, noWait);
    expect(await stored("192.0.2.1")).toBeUndefined();
    expect(await stored("192.0.2.2")).toMatchObject({ n: 1 });
  });
});

describe("unknown e-mail addresses, shared", () => {
  it("are slowed and locked exactly as a real account is, with the same answers", async () => {
    const person = await createPerson();
    const stranger = `nobody-${randomUUID()}@example.com`;
    const run = async (email: string) => {
      const waits: number[] = [];
      const answers: string[] = [];
      for (let attempt = 1; attempt <= 6; attempt += 1) {
        const result = await authenticate({ email, password: `wrong-${attempt}`, now: minutes(attempt === 6 ? 10 : 0) }, { sleep: async (ms) => void waits.push(ms) });
        answers.push(result.ok ? "ok" : result.message);
      }
      return { waits, answers };
    };
    const real = await run(person.email);
    expect(await run(stranger)).toEqual(real);
    expect(real.answers.slice(0, 4)).toEqual(Array(4).fill(WRONG_CREDENTIALS));
    expect(real.answers[4]).toBe(`Too many failed sign-ins. Try again in ${SIGN_IN_POLICY.lockMinutes} minutes.`);
  });

  it("stay locked when another instance locked them, and when ten guesses arrive at once", async () => {
    const locked = `locked-${randomUUID()}@example.com`;
    await pool().query("INSERT INTO sign_in_stranger (email, failed_login_count, locked_until, last_failed_at) VALUES ($1, 5, $2, $3)", [locked, minutes(15), T0]);
    expect(await authenticate({ email: locked, password: "anything", now: minutes(5) })).toMatchObject({ ok: false, message: "Too many failed sign-ins. Try again in 10 minutes." });

    const rushed = `rushed-${randomUUID()}@example.com`;
    await Promise.all(Array.from({ length: 10 }, (_, i) => authenticate({ email: rushed, password: `guess-${i}`, now: T0 }, noWait)));
    const row = (await pool().query<{ n: number; until: Date | null }>("SELECT failed_login_count AS n, locked_until AS until FROM sign_in_stranger WHERE email = $1", [rushed])).rows[0];
    expect(row).toEqual({ n: SIGN_IN_POLICY.lockAfter, until: minutes(SIGN_IN_POLICY.lockMinutes) });
    // Every guess was audited, counted or refused.
    expect(await db().auditEvent.count({ where: { type: "person.sign_in_failed", data: { path: ["email"], equals: rushed } } })).toBe(10);
  });
});
