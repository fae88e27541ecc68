// Failed sign-ins at e-mail addresses that have no account, counted exactly as person rows count
// them (authenticate.ts: slowed after a few, locked for a while at `lockAfter`), so an unknown
// address answers and takes as long as a real one: nothing tells an attacker which addresses exist.
// In PostgreSQL (sign_in_stranger), so every instance counts the same guesses; an address is
// forgotten 30 days after its last failure (an account's count lasts until its next sign-in).
import "server-only";
import { db } from "@/lib/db/client";

export interface StrangerState {
  failures: number;
  lockedUntil: Date | null;
}

const FORGET_AFTER_DAYS = 30;

/** What the address has built up so far (nothing: no row). */
export async function strangerState(email: string): Promise<StrangerState> {
  const rows = await db().$queryRaw<Array<{ failed_login_count: number; locked_until: Date | null }>>`
    SELECT failed_login_count, locked_until FROM sign_in_stranger WHERE email = ${email}`;
  const row = rows[0];
  return row ? { failures: row.failed_login_count, lockedUntil: row.locked_until } : { failures: 0, lockedUntil: null };
}

/**
 * One more failure, as person's UPDATE counts it: a lock that has run out starts a fresh count,
 * and at `lockAfter` the address is locked for `lockMinutes`. One statement, guarded by "not
 * locked now", so guesses arriving at once on several instances each count. Null when another
 * guess locked the address meanwhile (then nothing changed). Long-quiet addresses are cleared out
 * a few at a time.
 */
export async function recordStrangerFailure(email: string, now: Date, policy: { lockAfter: number; lockMinutes: number }): Promise<StrangerState | null> {
  const rows = await db().$queryRaw<Array<{ failed_login_count: number; locked_until: Date | null }>>`
    WITH gone AS (
      DELETE FROM sign_in_stranger WHERE email IN (
        SELECT o.email FROM sign_in_stranger AS o
        WHERE o.last_failed_at < ${now}::timestamptz - make_interval(days => ${FORGET_AFTER_DAYS}::int)
          AND (o.locked_until IS NULL OR o.locked_until < ${now}::timestamptz) AND o.email <> ${email} LIMIT 100)
    )
    INSERT INTO sign_in_stranger AS s (email, failed_login_count, locked_until, last_failed_at)
    VALUES (${email}, 1, CASE WHEN 1 >= ${policy.lockAfter}::int THEN ${now}::timestamptz + make_interval(mins => ${policy.lockMinutes}::int) END, ${now}::timestamptz)
    ON CONFLICT (email) DO UPDATE SET
      failed_login_count = CASE WHEN s.locked_until IS NOT NULL THEN 1 ELSE s.failed_login_count + 1 END,
      locked_until = CASE
        WHEN (CASE WHEN s.locked_until IS NOT NULL THEN 1 ELSE s.failed_login_count + 1 END) >= ${policy.lockAfter}::int
        THEN ${now}::timestamptz + make_interval(mins => ${policy.lockMinutes}::int)
      END,
      last_failed_at = ${now}::timestamptz
    WHERE s.locked_until IS NULL OR s.locked_until <= ${now}::timestamptz
    RETURNING failed_login_count, locked_until`;
  const row = rows[0];
  return row ? { failures: row.failed_login_count, lockedUntil: row.locked_until } : null;
}

/** Tests only: forget every address. */
export async function resetStrangers(): Promise<void> {
  await db().$executeRaw`DELETE FROM sign_in_stranger`;
}
