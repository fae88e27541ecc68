// Agent API keys: "mnd_<prefix>_<secret>". The prefix is public and unique (it finds the row
// without scanning); the secret is 256 random bits of which only the SHA-256 is stored. A fast
// hash is right here: the secret is random, not a human password, so it cannot be guessed.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_SCHEME = "mnd";
export const PREFIX_LENGTH = 12;
const SECRET_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
const SECRET_LENGTH = 43;
export const KEY_LENGTH = KEY_SCHEME.length + 1 + PREFIX_LENGTH + 1 + SECRET_LENGTH;

// The prefix is fixed-length alphanumeric, so the "_" that base64url may put inside the secret
// cannot make the split ambiguous.
const KEY_PATTERN = new RegExp(`^${KEY_SCHEME}_([0-9A-Za-z]{${PREFIX_LENGTH}})_([A-Za-z0-9_-]{${SECRET_LENGTH}})$`);
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export interface GeneratedKey {
  /** The whole key: shown to a person once, never stored. */
  key: string;
  prefix: string;
  secretHash: string;
}

/** Uniform base62 characters: bytes ≥ 248 are dropped so that no character is favoured. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function generateAgentKey(): GeneratedKey {
  const prefix = randomBase62(PREFIX_LENGTH);
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { key: `${KEY_SCHEME}_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

/** Splits a presented key; null for anything that is not exactly a well-formed key. Never throws. */
export function parseAgentKey(raw: unknown): { prefix: string; secret: string } | null {
  if (typeof raw !== "string" || raw.length !== KEY_LENGTH) return null;
  const match = KEY_PATTERN.exec(raw);
  if (!match) return null;
  return { prefix: match[1] as string, secret: match[2] as string };
}

/** SHA-256 (hex) of the secret exactly as presented, so a re-encoded secret never matches. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), "hex");
  const expected = HASH_PATTERN.test(storedHash) ? Buffer.from(storedHash, "hex") : Buffer.alloc(actual.length);
  // A malformed stored hash still costs one comparison, and never matches.
  return timingSafeEqual(actual, expected) && HASH_PATTERN.test(storedHash);
}
