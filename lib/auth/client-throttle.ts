// The sign-in brake per client. The per-account brake (authenticate.ts) stops guessing one
// account's password; it does nothing against one password tried on every account ("spraying"),
// which fails once per account. So every failed sign-in also counts against the address it came
// from (lib/server/client-address.ts, never a header the client chooses), and past
// `maxFailures` in `windowMinutes` that address is refused before any password is checked.
// Kept in this process's memory, bounded: each instance brakes what reaches it.
export const CLIENT_POLICY = { maxFailures: 20, windowMinutes: 10 } as const;

const MAX_CLIENTS = 10_000;
/** Per client, the times of its recent failures (at most maxFailures, oldest first). */
const failures = new Map<string, number[]>();

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

function recent(client: string, now: Date): number[] {
  const since = now.getTime() - CLIENT_POLICY.windowMinutes * 60_000;
  return (failures.get(clientKey(client)) ?? []).filter((at) => at > since);
}

/** Until when the client is refused, or null when it may try. */
export function clientBlockedUntil(client: string, now: Date): Date | null {
  const times = recent(client, now);
  if (times.length < CLIENT_POLICY.maxFailures) return null;
  return new Date(times[0]! + CLIENT_POLICY.windowMinutes * 60_000);
}

export function recordClientFailure(client: string, now: Date): void {
  const times = [...recent(client, now), now.getTime()].slice(-CLIENT_POLICY.maxFailures);
  const key = clientKey(client);
  failures.delete(key);
  if (failures.size >= MAX_CLIENTS) failures.delete(failures.keys().next().value!);
  failures.set(key, times);
}

/** Tests only: forget every client. */
export function resetClientThrottle(): void {
  failures.clear();
}
