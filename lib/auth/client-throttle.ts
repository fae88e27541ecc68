// The sign-in brake per client. The per-account brake (authenticate.ts) stops guessing one
// account's password; it does nothing against one password tried on every account ("spraying"),
// which fails once per account. So every failed sign-in also counts against the address it came
// from (lib/server/client-address.ts, never a header the client chooses), and past
// `maxFailures` in `windowMinutes` that address is refused before any password is checked.
// Kept in PostgreSQL (sign_in_client_failure), so every instance brakes the same client.
import "server-only";
import { db } from "@/lib/db/client";

export const CLIENT_POLICY = { maxFailures: 20, windowMinutes: 10 } as const;

/**
 * The key an address counts under: an IPv4 address as it is (also when written IPv4-mapped), an
 * IPv6 address by its /64, the block one subscriber is usually handed whole — so rotating through
 * it does not reset the count.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.split("%")[0]!.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = address.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** Until when the client is refused, or null when it may try. */
export async function clientBlockedUntil(client: string, now: Date): Promise<Date | null> {
  const { maxFailures, windowMinutes } = CLIENT_POLICY;
  const rows = await db().$queryRaw<Array<{ until: Date | null }>>`
    SELECT CASE WHEN count(*) >= ${maxFailures}::int THEN min(t) + make_interval(mins => ${windowMinutes}::int) END AS until
    FROM sign_in_client_failure AS f CROSS JOIN LATERAL unnest(f.failed_at) AS t
    WHERE f.client = ${clientKey(client)} AND t > ${now}::timestamptz - make_interval(mins => ${windowMinutes}::int)`;
  return rows[0]?.until ?? null;
}

/**
 * Counts one failure: the client's recent failures plus this one, newest first, the oldest beyond
 * the budget dropped — one statement, so failures arriving at once on several instances all count.
 * Clients quiet for a whole window are cleared out a few at a time.
 */
export async function recordClientFailure(client: string, now: Date): Promise<void> {
  const { maxFailures, windowMinutes } = CLIENT_POLICY;
  // Never this client's own row: one statement may not delete and update the same row.
  const key = clientKey(client);
  await db().$executeRaw`
    WITH gone AS (
      DELETE FROM sign_in_client_failure WHERE client IN (
        SELECT o.client FROM sign_in_client_failure AS o
        WHERE o.last_failed_at < ${now}::timestamptz - make_interval(mins => ${windowMinutes}::int) AND o.client <> ${key} LIMIT 100)
    )
    INSERT INTO sign_in_client_failure AS f (client, failed_at, last_failed_at)
    VALUES (${key}, ARRAY[${now}::timestamptz], ${now}::timestamptz)
    ON CONFLICT (client) DO UPDATE SET
      failed_at = ARRAY(
        SELECT t FROM unnest(f.failed_at || ${now}::timestamptz) AS t
        WHERE t > ${now}::timestamptz - make_interval(mins => ${windowMinutes}::int) ORDER BY t DESC LIMIT ${maxFailures}::int),
      last_failed_at = greatest(f.last_failed_at, ${now}::timestamptz)`;
}

/** Tests only: forget every client. */
export async function resetClientThrottle(): Promise<void> {
  await db().$executeRaw`DELETE FROM sign_in_client_failure`;
}
