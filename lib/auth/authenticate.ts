// E-mail and password sign-in with a per-account brake: after `slowAfter` consecutive failures
// each attempt waits a little longer, and at `lockAfter` the account is locked for a while.
// Addresses without an account get the same brake, so the answers do not reveal which exist.
// And a brake per client (client-throttle.ts) against one password tried on many accounts.
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { verifyPassword } from "@/lib/auth/password";
import {
  ACCOUNT_DISABLED,
  INVALID_EMAIL,
  MISSING_PASSWORD,
  PASSWORD_TOO_LONG,
  WRONG_CREDENTIALS,
  clientLockedMessage,
  lockedMessage,
} from "@/lib/auth/sign-in-messages";
import { clientBlockedUntil, recordClientFailure } from "@/lib/auth/client-throttle";
import { recordStrangerFailure, strangerState } from "@/lib/auth/stranger-brake";
import type { Role } from "@/lib/generated/prisma/enums";

export const SIGN_IN_POLICY = {
  slowAfter: 3,
  lockAfter: 5,
  lockMinutes: 15,
  baseDelayMs: 500,
  maxDelayMs: 2_000,
} as const;

/** Trimmed, lower-cased e-mail; people are stored and looked up in this form. */
export const emailSchema = z.string(INVALID_EMAIL).trim().toLowerCase().max(254, INVALID_EMAIL).pipe(z.email(INVALID_EMAIL));

const input = z.object({
  email: emailSchema,
  // The upper bound keeps a hostile megabyte "password" away from scrypt.
  password: z.string(MISSING_PASSWORD).min(1, MISSING_PASSWORD).max(1024, PASSWORD_TOO_LONG),
});

export interface SignedInPerson {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

export type SignInFailure = "invalid_input" | "unknown_email" | "wrong_password" | "locked" | "disabled";

export type AuthenticateResult =
  | { ok: true; person: SignedInPerson }
  | { ok: false; message: string; reason: SignInFailure };

export interface AuthenticateInput {
  email: unknown;
  password: unknown;
  ip?: string;
  userAgent?: string;
  /** The address the server vouches for (lib/server/client-address.ts): braked per client when given. */
  client?: string;
  now?: Date;
}

export interface AuthenticateOptions {
  /** How to wait out the slowdown; tests pass a recorder instead of real time. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before judging an attempt, from the failures already on the account. */
export function slowdownMs(consecutiveFailures: number): number {
  if (consecutiveFailures < SIGN_IN_POLICY.slowAfter) return 0;
  const steps = consecutiveFailures - SIGN_IN_POLICY.slowAfter;
  return Math.min(SIGN_IN_POLICY.maxDelayMs, SIGN_IN_POLICY.baseDelayMs * 2 ** steps);
}

export async function authenticate(attempt: AuthenticateInput, options: AuthenticateOptions = {}): Promise<AuthenticateResult> {
  const now = attempt.now ?? new Date();
  const { client } = attempt;
  if (client !== undefined) {
    const until = await clientBlockedUntil(client, now);
    if (until) return refuseClient(attempt, until, now);
  }
  const result = await judge(attempt, options, now);
  // Every failure counts against the client too, whichever account it was aimed at.
  if (!result.ok && result.reason !== "invalid_input" && client !== undefined) await recordClientFailure(client, now);
  return result;
}

/** A client past its budget: refused before any account is looked at, with the same work done. */
async function refuseClient(attempt: AuthenticateInput, until: Date, now: Date): Promise<AuthenticateResult> {
  const email = emailSchema.safeParse(attempt.email);
  await verifyPassword(typeof attempt.password === "string" ? attempt.password.slice(0, 1024) : "", null);
  await recordAudit(db(), { type: "system", via: "sign-in" }, {
    type: "person.sign_in_failed",
    data: { reason: "client_throttled", ...(email.success ? { email: email.data } : {}), client: attempt.client, ...meta(attempt) },
  });
  return { ok: false, reason: "locked", message: clientLockedMessage(until, now) };
}

async function judge(attempt: AuthenticateInput, options: AuthenticateOptions, now: Date): Promise<AuthenticateResult> {
  const sleep = options.sleep ?? realSleep;
  const parsed = input.safeParse({ email: attempt.email, password: attempt.password });
  if (!parsed.success) {
    return { ok: false, reason: "invalid_input", message: parsed.error.issues[0]?.message ?? WRONG_CREDENTIALS };
  }
  const { email, password } = parsed.data;
  const client = db();
  const person = await client.person.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, disabled: true, failedLoginCount: true, lockedUntil: true },
  });

  if (!person) return failUnknown(email, password, attempt, now, sleep);

  const actor: Actor = { type: "person", personId: person.id, ip: attempt.ip, userAgent: attempt.userAgent, via: "console" };
  const subject = { subjectType: "person", subjectId: person.id } as const;

  if (person.lockedUntil && person.lockedUntil > now) {
    // Refused without touching the counter, so hammering a locked account does not extend the lock.
    await verifyPassword(password, null);
    await recordAudit(client, actor, { type: "person.sign_in_failed", ...subject, data: { reason: "locked" } });
    return { ok: false, reason: "locked", message: lockedMessage(person.lockedUntil, now) };
  }

  const lockExpired = person.lockedUntil !== null;
  const delay = slowdownMs(lockExpired ? 0 : person.failedLoginCount);
  if (delay > 0) await sleep(delay);

  const correct = await verifyPassword(password, person.passwordHash);
  return correct ? succeed(person.id, actor, now) : fail(person.id, actor, now);
}

/**
 * Guesses at addresses that have no account, counted as a real account counts them (in
 * sign_in_stranger, shared by every instance: stranger-brake.ts), so an unknown address is slowed
 * and "locked" exactly like a real one: the answers and their timing never tell an attacker which
 * addresses exist. The audit says the truth.
 */
async function failUnknown(email: string, password: string, attempt: AuthenticateInput, now: Date, sleep: (ms: number) => Promise<void>): Promise<AuthenticateResult> {
  const known = await strangerState(email);
  const audit = () =>
    recordAudit(db(), { type: "system", via: "sign-in" }, { type: "person.sign_in_failed", data: { reason: "unknown_email", email, ...meta(attempt) } });
  const refuse = async (until: Date) => {
    await audit();
    return { ok: false, reason: "unknown_email", message: lockedMessage(until, now) } as const;
  };

  if (known.lockedUntil !== null && known.lockedUntil > now) {
    await verifyPassword(password, null);
    return refuse(known.lockedUntil);
  }
  const lockExpired = known.lockedUntil !== null;
  const delay = slowdownMs(lockExpired ? 0 : known.failures);
  if (delay > 0) await sleep(delay);
  // Same work as a real check, so timing does not tell which e-mails have accounts.
  await verifyPassword(password, null);

  const counted = await recordStrangerFailure(email, now, SIGN_IN_POLICY);
  // Locked meanwhile by a guess on another connection: refused as locked, as a real account would be.
  if (!counted) return refuse((await strangerState(email)).lockedUntil ?? now);
  await audit();
  return { ok: false, reason: "unknown_email", message: counted.lockedUntil === null ? WRONG_CREDENTIALS : lockedMessage(counted.lockedUntil, now) };
}

type CounterRow = { failed_login_count: number; locked_until: Date | null };

/**
 * One UPDATE decides the outcome, guarded by "not locked now": parallel guesses queue on the row
 * lock, and once one of them sets the lock the rest match no row and are refused as locked.
 */
/** How a failure is written down: a sign-in, or a wrong current password when changing it. */
interface FailureLabel {
  type: "person.sign_in_failed" | "person.password_change_refused";
  reason: "wrong_password" | "wrong_current_password";
}

const SIGN_IN_FAILURE: FailureLabel = { type: "person.sign_in_failed", reason: "wrong_password" };

async function fail(personId: string, actor: Actor, now: Date, label: FailureLabel = SIGN_IN_FAILURE): Promise<AuthenticateResult> {
  const { lockAfter, lockMinutes } = SIGN_IN_POLICY;
  return db().$transaction(async (tx) => {
    // A lock that has run out starts a fresh count rather than re-locking on the next slip.
    // The SET expressions read the row as it is after waiting for its lock, never a stale copy.
    const rows = await tx.$queryRaw<CounterRow[]>`
      UPDATE person SET
        failed_login_count = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END,
        locked_until = CASE
          WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END) >= ${lockAfter}::int
          THEN ${now}::timestamptz + make_interval(mins => ${lockMinutes}::int)
        END,
        last_failed_at = ${now}::timestamptz,
        updated_at = ${now}::timestamptz
      WHERE id = ${personId}::uuid AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
      RETURNING failed_login_count, locked_until`;
    const row = rows[0];
    if (!row) {
      const current = await tx.person.findUnique({ where: { id: personId }, select: { lockedUntil: true } });
      await recordAudit(tx, actor, { type: label.type, subjectType: "person", subjectId: personId, data: { reason: "locked" } });
      return { ok: false, reason: "locked", message: lockedMessage(current?.lockedUntil ?? now, now) };
    }
    const locked = row.locked_until !== null;
    await recordAudit(tx, actor, {
      type: label.type,
      subjectType: "person",
      subjectId: personId,
      data: { reason: label.reason, consecutiveFailures: row.failed_login_count, locked },
    });
    return locked
      ? { ok: false, reason: "locked", message: lockedMessage(row.locked_until!, now) }
      : { ok: false, reason: "wrong_password", message: WRONG_CREDENTIALS };
  });
}

/**
 * The password of someone already signed in (asked again before they change it), under the same
 * brake and the same counter as sign-in: a session left open does not buy unlimited guesses, and
 * guesses here and at the sign-in page add up. A right answer clears the count, as a sign-in does.
 */
export async function verifyOwnPassword(
  personId: string,
  password: string,
  actor: Actor,
  options: AuthenticateOptions & { now?: Date } = {},
): Promise<{ ok: true } | { ok: false; reason: "wrong_password" | "locked"; message: string }> {
  const now = options.now ?? new Date();
  const person = await db().person.findUnique({
    where: { id: personId },
    select: { passwordHash: true, failedLoginCount: true, lockedUntil: true },
  });
  if (person?.lockedUntil && person.lockedUntil > now) {
    await verifyPassword(password, null);
    await recordAudit(db(), actor, { type: "person.password_change_refused", subjectType: "person", subjectId: personId, data: { reason: "locked" } });
    return { ok: false, reason: "locked", message: lockedMessage(person.lockedUntil, now) };
  }
  const delay = slowdownMs(person?.lockedUntil ? 0 : (person?.failedLoginCount ?? 0));
  if (delay > 0) await (options.sleep ?? realSleep)(delay);
  if (person && (await verifyPassword(password, person.passwordHash))) {
    if (person.failedLoginCount > 0 || person.lockedUntil) {
      await db().person.updateMany({
        where: { id: personId, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
        data: { failedLoginCount: 0, lockedUntil: null, lastFailedAt: null },
      });
    }
    return { ok: true };
  }
  const failed = await fail(personId, actor, now, { type: "person.password_change_refused", reason: "wrong_current_password" });
  return failed.ok || failed.reason !== "locked" ? { ok: false, reason: "wrong_password", message: WRONG_CREDENTIALS } : { ok: false, reason: "locked", message: failed.message };
}

async function succeed(personId: string, actor: Actor, now: Date): Promise<AuthenticateResult> {
  return db().$transaction(async (tx) => {
    // Same guard as a failure: a lock set by a parallel wrong guess also stops the right one.
    const updated = await tx.person.updateManyAndReturn({
      where: { id: personId, disabled: false, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
      data: { failedLoginCount: 0, lockedUntil: null, lastFailedAt: null, lastLoginAt: now },
      select: { id: true, email: true, name: true, roles: true },
    });
    const person = updated[0];
    if (person) {
      await recordAudit(tx, actor, { type: "person.signed_in", subjectType: "person", subjectId: personId, data: { method: "password" } });
      return { ok: true, person };
    }
    const current = await tx.person.findUnique({ where: { id: personId }, select: { disabled: true, lockedUntil: true } });
    const reason = current?.disabled === false && current.lockedUntil ? "locked" : "disabled";
    await recordAudit(tx, actor, { type: "person.sign_in_failed", subjectType: "person", subjectId: personId, data: { reason } });
    return reason === "locked"
      ? { ok: false, reason, message: lockedMessage(current!.lockedUntil!, now) }
      : { ok: false, reason, message: ACCOUNT_DISABLED };
  });
}

function meta(attempt: AuthenticateInput): { ip?: string; userAgent?: string } {
  return { ...(attempt.ip ? { ip: attempt.ip } : {}), ...(attempt.userAgent ? { userAgent: attempt.userAgent } : {}) };
}
