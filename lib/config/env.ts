// Reads and validates the environment once. Anything wrong here is an operator error:
// callers print the message (one line) and exit, never a stack trace.
import { z } from "zod";

export class ConfigError extends Error {}

const postgresUrl = z
  .string()
  .trim()
  .min(1, "is set but empty")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "" || url.searchParams.has("host");
    } catch {
      return false;
    }
  }, "must be a postgresql:// URL, e.g. postgresql://user:password@localhost:5432/mandate");

/** The DATABASE_URL the process must use; throws ConfigError with one clear line. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.DATABASE_URL;
  if (raw === undefined) throw new ConfigError("DATABASE_URL is not set.");
  const parsed = postgresUrl.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`DATABASE_URL ${parsed.error.issues[0]?.message ?? "is invalid"}.`);
  return parsed.data;
}

/** Whether DATABASE_URL was given at all (an empty value counts as given, and then fails validation). */
export function hasDatabaseUrl(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DATABASE_URL !== undefined;
}

const port = z.coerce.number().int().min(1).max(65535);

export function listenPort(env: NodeJS.ProcessEnv = process.env): number {
  if (env.PORT === undefined || env.PORT === "") return 3000;
  const parsed = port.safeParse(env.PORT);
  if (!parsed.success) throw new ConfigError(`PORT must be a whole number from 1 to 65535, not "${env.PORT}".`);
  return parsed.data;
}

/** The interface to listen on (HOST); unset means every interface, as servers usually do. */
export function listenHost(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.HOST?.trim();
  if (!host) return undefined;
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw new ConfigError(`HOST must be a host name or IP address, not "${host}".`);
  return host;
}

/** The folder for the embedded database and the generated session secret (git-ignored). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MANDATE_DATA_DIR && env.MANDATE_DATA_DIR.trim() !== "" ? env.MANDATE_DATA_DIR : ".mandate";
}

export const APP_VERSION = "0.1.0";
