// How receivers authenticate a delivery: `Mandate-Signature: t=<unix seconds>,v1=<hex>` where the
// hex is HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp is inside the signed text, so a
// receiver that refuses signatures older than a few minutes refuses replays too. verifySignature
// is what a receiver written in TypeScript would do (and what our tests do).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Mandate-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureFor(secret: string, body: string, timestampSeconds: number): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
}

export function signatureHeader(secret: string, body: string, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signatureFor(secret, body, t)}`;
}

/** True when the header carries a valid v1 signature of `body` made within the tolerance. */
export function verifySignature(secret: string, body: string, header: string | null | undefined, now: Date = new Date(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const [name, value] = item.trim().split("=", 2);
    if (name && value) parts.set(name, [...(parts.get(name) ?? []), value]);
  }
  const t = Number(parts.get("t")?.[0]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureFor(secret, body, t), "hex");
  return (parts.get("v1") ?? []).some((candidate) => {
    const given = Buffer.from(candidate, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
