// Throwaway databases for integration tests: one per test file (integration-setup.ts), plus
// scratch ones a test makes for itself. All live on the server of the admin URL.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";

const NAME_PREFIX = "mandate_";

/** The URL of a role that may CREATE and DROP databases. */
export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "Integration tests need PostgreSQL: set TEST_ADMIN_DATABASE_URL (or DATABASE_URL) to a role that can create databases, e.g. postgresql://postgres:devpass@127.0.0.1:5432/postgres",
    );
  }
  return url;
}

/** Creates `mandate_<prefix>_<random>`, migrated unless told otherwise, and returns its URL. */
export async function createTestDatabase(prefix = "t", options: { migrated?: boolean } = {}): Promise<string> {
  if (!/^[a-z0-9_]{1,20}$/.test(prefix)) throw new Error(`Test database prefix "${prefix}" must be 1-20 of a-z, 0-9 and _.`);
  const name = `${NAME_PREFIX}${prefix}_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  if (options.migrated !== false) {
    try {
      await migrate(url.toString());
    } catch (error) {
      await dropTestDatabase(url.toString());
      throw error;
    }
  }
  return url.toString();
}

/** Drops a database made by createTestDatabase, closing whatever is still connected to it. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // Never anything this module did not create, whatever URL it is handed.
  if (!name.startsWith(NAME_PREFIX) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`Refusing to drop "${name}": not a test database.`);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: "mandate-test-admin" });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
