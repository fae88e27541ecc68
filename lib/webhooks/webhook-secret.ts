// A webhook's signing secret must be usable to sign, so it cannot be hashed: it is stored
// encrypted with AES-256-GCM under a key derived (HKDF-SHA-256) from NEXTAUTH_SECRET, the
// console's one operator-held secret, and shown to the admin once, when it is set. A database dump
// alone therefore does not reveal it. Changing NEXTAUTH_SECRET makes stored secrets unreadable:
// deliveries then fail with a clear error and the admin rotates each webhook's secret.
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { ConfigError } from "@/lib/config/env";

type Env = Record<string, string | undefined>;

const VERSION = "v1";
const SALT = "mandate-webhooks";
const INFO = "webhook-signing-secret v1";

export class SecretUnreadableError extends Error {}

function key(env: Env): Buffer {
  const master = env.NEXTAUTH_SECRET;
  if (!master || master.trim().length < 32) throw new ConfigError("NEXTAUTH_SECRET must be set (32+ characters) to store webhook secrets.");
  return Buffer.from(hkdfSync("sha256", master, SALT, INFO, 32));
}

/** A new random signing secret, as admins paste it into their receiver. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

export function sealSecret(secret: string, env: Env = process.env): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(env), iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(".");
}

export function openSecret(stored: string, env: Env = process.env): string {
  const [version, iv, tag, sealed] = stored.split(".");
  if (version !== VERSION || !iv || !tag || sealed === undefined) throw new SecretUnreadableError("The stored webhook secret is not in a known format.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(env), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadableError("The webhook's signing secret cannot be decrypted (was NEXTAUTH_SECRET changed?); rotate the secret.");
  }
}

/** The last four characters, so an admin can tell which secret a receiver holds. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}
