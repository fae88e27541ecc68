// A session is bound to the password it was opened with: the cookie carries a keyed digest of the
// person's password hash at sign-in, and every request compares it with the digest of the hash
// now stored. A reset (or any change) of the password therefore ends every session opened with
// the old one, on the next click, without a session table. The digest is an HMAC under the
// session secret, so the cookie reveals nothing about the hash even if it were decrypted.
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a person without a password (single sign-on only) is stamped with. */
const NO_PASSWORD = "none";

export function passwordStamp(secret: string, passwordHash: string | null): string {
  if (passwordHash === null) return NO_PASSWORD;
  return createHmac("sha256", secret).update("mandate.session.password\0").update(passwordHash).digest("base64url").slice(0, 22);
}

/** Constant-time: whether a session's stamp still matches the stored password. */
export function stampMatches(secret: string, stamp: unknown, passwordHash: string | null): boolean {
  if (typeof stamp !== "string") return false;
  const expected = Buffer.from(passwordStamp(secret, passwordHash));
  const given = Buffer.from(stamp);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
