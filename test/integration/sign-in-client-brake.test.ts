// The sign-in brake per client: one password tried on many accounts ("spraying") fails once per
// account, which no account's own lock notices; the client's failures add up instead. The address
// it keys on is stamped by the server (console-dispatch.test.ts).
import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { CLIENT_POLICY, resetClientThrottle } from "@/lib/auth/client-throttle";
import { hashPassword } from "@/lib/auth/password";
import { WRONG_CREDENTIALS } from "@/lib/auth/sign-in-messages";
import { db } from "@/lib/db/client";

const PASSWORD = "Correct-Horse-42!";
const T0 = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
let person: { id: string; email: string };

beforeAll(async () => {
  const email = `sprayed-${randomUUID()}@example.com`;
  person = await db().person.create({ data: { email, name: "Sam Sprayed", passwordHash: await hashPassword(PASSWORD), roles: ["approver"] } });
});

beforeEach(() => resetClientThrottle());

/** One guess of the sprayed password at a different address each time. */
async function spray(client: string, count: number, at: Date) {
  for (let i = 0; i < count; i += 1) {
    const result = await authenticate({ email: `guess-${i}-${randomUUID().slice(0, 8)}@example.com`, password: "Summer2026!", client, now: at });
    expect(result).toMatchObject({ ok: false, message: WRONG_CREDENTIALS });
  }
}

describe("the per-client sign-in brake", () => {
  it("refuses a client past its failures, even with the right password of an untouched account", async () => {
    await spray("203.0.113.9", CLIENT_POLICY.maxFailures, minutes(0));
    const refused = await authenticate({ email: person.email, password: PASSWORD, client: "203.0.113.9", now: minutes(1) });
    expect(refused).toMatchObject({ ok: false, reason: "locked", message: "Too many failed sign-ins from your network. Try again in 9 minutes." });
    // The account itself was not charged for it…
    expect(await db().person.findUniqueOrThrow({ where: { id: person.id }, select: { failedLoginCount: true, lastLoginAt: true } })).toEqual({ failedLoginCount: 0, lastLoginAt: null });
    // …and the refusal is in the audit, with whom it was aimed at.
    const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "person.sign_in_failed", data: { path: ["reason"], equals: "client_throttled" } }, orderBy: { id: "desc" } });
    expect(audit.data).toMatchObject({ email: person.email, client: "203.0.113.9" });
    // Another client is not held up by it.
    expect((await authenticate({ email: person.email, password: PASSWORD, client: "198.51.100.4", now: minutes(1) })).ok).toBe(true);
  });

  it("lets the client try again once its failures are older than the window", async () => {
    await spray("203.0.113.10", CLIENT_POLICY.maxFailures, minutes(0));
    expect((await authenticate({ email: person.email, password: PASSWORD, client: "203.0.113.10", now: minutes(CLIENT_POLICY.windowMinutes - 1) })).ok).toBe(false);
    expect((await authenticate({ email: person.email, password: PASSWORD, client: "203.0.113.10", now: minutes(CLIENT_POLICY.windowMinutes + 1) })).ok).toBe(true);
  });

  it("stays open below the limit, and counts a whole IPv6 /64 as one client", async () => {
    await spray("203.0.113.11", CLIENT_POLICY.maxFailures - 1, minutes(0));
    expect((await authenticate({ email: person.email, password: PASSWORD, client: "203.0.113.11", now: minutes(1) })).ok).toBe(true);

    for (let i = 0; i < CLIENT_POLICY.maxFailures; i += 1) await spray(`2001:db8:7:7::${(i + 1).toString(16)}`, 1, minutes(0));
    expect((await authenticate({ email: person.email, password: PASSWORD, client: "2001:db8:7:7:ffff::1", now: minutes(1) })).ok).toBe(false);
    expect((await authenticate({ email: person.email, password: PASSWORD, client: "2001:db8:7:8::1", now: minutes(1) })).ok).toBe(true);
  });
});
