// Who is on the other end of a console request, as far as this server can vouch for it. The
// sign-in brake per client (lib/auth/client-throttle.ts) keys on it, so it must not be something
// the client simply says: by default it is the TCP peer's address, and X-Forwarded-For counts only
// for as many proxies in front of Mandate as the operator declares (MANDATE_TRUSTED_PROXY_HOPS),
// read from the right, where those proxies append. The server stamps it on every request it hands
// to Next, replacing whatever the client sent under the same name.
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { ConfigError } from "@/lib/config/env";

export const CLIENT_HEADER = "x-mandate-client";

/** MANDATE_TRUSTED_PROXY_HOPS: proxies in front of Mandate, 0 (the default) to 10. */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = env.MANDATE_TRUSTED_PROXY_HOPS?.trim();
  if (raw === undefined || raw === "") return 0;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 10) {
    throw new ConfigError(`MANDATE_TRUSTED_PROXY_HOPS must be the number of proxies in front of Mandate, 0 to 10, not "${env.MANDATE_TRUSTED_PROXY_HOPS}".`);
  }
  return Number(raw);
}

/** The client's address: the peer's, or the one the last of `hops` trusted proxies saw. */
export function clientAddress(req: Pick<IncomingMessage, "headers" | "socket">, hops: number): string | undefined {
  const peer = req.socket.remoteAddress;
  if (hops === 0) return peer;
  const forwarded = req.headers["x-forwarded-for"];
  const entries = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").map((entry) => entry.trim());
  // Each trusted proxy appends the address it saw: the hops-th from the right is the client's.
  const candidate = entries.length >= hops ? entries[entries.length - hops] : undefined;
  // Fewer entries than proxies, or garbage: the nearest proxy is all that can be vouched for.
  return candidate && isIP(candidate) !== 0 ? candidate : peer;
}

/** Replaces any client-sent CLIENT_HEADER with the address this server vouches for. */
export function stampClient(req: IncomingMessage, hops: number): void {
  const address = clientAddress(req, hops);
  if (address) req.headers[CLIENT_HEADER] = address;
  else delete req.headers[CLIENT_HEADER];
}
