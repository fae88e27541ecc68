// The key that signs and encrypts session cookies. An operator may pin it with NEXTAUTH_SECRET
// (several instances must share one); otherwise it is generated once and kept in the data folder,
// so restarts keep people signed in and no secret ever lives in the repository.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@/lib/config/env";

const MIN_LENGTH = 32;
const FILE_NAME = "session-secret";

export function ensureSessionSecret(dataDir: string, env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.NEXTAUTH_SECRET;
  if (fromEnv !== undefined) {
    if (fromEnv.trim().length < MIN_LENGTH) {
      throw new ConfigError(`NEXTAUTH_SECRET must be at least ${MIN_LENGTH} characters; generate one with: openssl rand -base64 32`);
    }
    return fromEnv;
  }

  const file = join(dataDir, FILE_NAME);
  const existing = readSecret(file);
  if (existing !== undefined) return existing;

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    // "wx": if another process created it a moment ago, theirs wins and both use the same key.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readSecret(file);
    if (winner !== undefined) return winner;
  }
  return secret;
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) {
    throw new ConfigError(`${file} holds a session secret shorter than ${MIN_LENGTH} characters; delete the file to generate a new one.`);
  }
  return secret;
}
