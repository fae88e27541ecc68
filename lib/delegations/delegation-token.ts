// Delegation tokens: "mdl_" + 256 random bits (base64url). The delegate presents the token as
// `delegationToken`; only its SHA-256 is stored (delegation.token_hash), so a database reader
// cannot act for anyone. A fast hash is right: the token is random, not a guessable password.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

export const DELEGATION_TOKEN_SCHEME = "mdl";
const TOKEN_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
const TOKEN_PATTERN = /^mdl_[A-Za-z0-9_-]{43}$/;

/** For request bodies (`delegationToken`, `parentToken`): anything else is a 400, not a lookup. */
export const delegationTokenSchema = z
  .string()
  .regex(TOKEN_PATTERN, "Not a delegation token (mdl_…).")
  .describe("A delegation token as returned by POST /delegations (mdl_…).");

export function generateDelegationToken(): { token: string; tokenHash: string } {
  const token = `${DELEGATION_TOKEN_SCHEME}_${randomBytes(TOKEN_BYTES).toString("base64url")}`;
  return { token, tokenHash: hashDelegationToken(token) };
}

export function hashDelegationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isDelegationToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_PATTERN.test(value);
}
