// Where a console request came from, for the audit trail. Informational only: X-Forwarded-For
// is whatever the nearest proxy (or the client) says, so nothing is ever decided on it.
import { isIP } from "node:net";
import { CLIENT_HEADER } from "@/lib/server/client-address";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

export function requestMeta(headers: HeaderSource): RequestMeta {
  const forwarded = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  const ip = [forwarded, header(headers, "x-real-ip")?.trim()].find((candidate) => candidate && isIP(candidate) !== 0);
  const userAgent = header(headers, "user-agent")?.slice(0, 512);
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}

/** The client's address as the server stamped it (lib/server/client-address.ts); never a client's say-so. */
export function vouchedClient(headers: HeaderSource): string | undefined {
  const value = header(headers, CLIENT_HEADER)?.trim();
  return value && isIP(value) !== 0 ? value : undefined;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
