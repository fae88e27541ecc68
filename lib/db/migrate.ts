// Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native
// engine (it cannot be downloaded everywhere Mandate runs). Records go to _prisma_migrations
// exactly as Prisma writes them, and the same advisory lock is held, so this runner and a real
// `prisma migrate deploy` agree on every database and never run at the same time.
// No `server-only` here: the CLI, the start script and the tests use it too.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface MigrateOptions {
  /** The folder of `<timestamp>_<name>/migration.sql` folders; defaults to the repo's prisma/migrations. */
  migrationsDir?: string;
  log?: (line: string) => void;
  /** How long to wait for another migrator to finish before giving up; default 60 s. */
  lockTimeoutMs?: number;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

interface LocalMigration {
  name: string;
  sql: string;
}

interface RecordedMigration {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

// The key `prisma migrate` locks on (schema engine, postgres flavour).
const PRISMA_ADVISORY_LOCK = 72707369;

// Prisma's DDL for its history table, byte for byte.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** prisma/migrations beside this repo, found from this file rather than the working directory. */
export function defaultMigrationsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prisma", "migrations");
}

/** Prisma's checksum: SHA-256 of the script, hex. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

// Prisma also accepts the script with the other line endings (git may have converted them).
function matchesChecksum(sql: string, checksum: string): boolean {
  return [sql, sql.replaceAll("\r\n", "\n"), sql.replaceAll("\n", "\r\n")].some((variant) => migrationChecksum(variant) === checksum);
}

/** Applies every pending migration, each in its own transaction together with its record. */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const local = await readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  return withClient(url, async (client) => {
    await lock(client, options.lockTimeoutMs ?? 60_000);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const pending = checkHistory(local, await readRecords(client));
      for (const migration of pending) {
        const started = Date.now();
        await apply(client, migration);
        log(`Applied migration ${migration.name} (${Date.now() - started} ms).`);
      }
      if (pending.length === 0) log(`Database schema is up to date (${local.length} migration${local.length === 1 ? "" : "s"}).`);
      return { applied: pending.map((migration) => migration.name) };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  });
}

/** Which migrations are applied and which would run; throws the MigrationError migrate() would. */
export async function migrationStatus(url: string, options: Pick<MigrateOptions, "migrationsDir"> = {}): Promise<MigrationStatus> {
  const local = await readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  return withClient(url, async (client) => {
    const exists = await client.query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
    const records = exists.rows[0]?.present ? await readRecords(client) : [];
    const pending = checkHistory(local, records);
    const pendingNames = new Set(pending.map((migration) => migration.name));
    return {
      applied: local.filter((migration) => !pendingNames.has(migration.name)).map((migration) => migration.name),
      pending: [...pendingNames],
    };
  });
}

async function readMigrations(dir: string): Promise<LocalMigration[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new MigrationError(`The migrations folder ${dir} cannot be read.`);
  }
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      try {
        return { name, sql: await readFile(path.join(dir, name, "migration.sql"), "utf8") };
      } catch {
        throw new MigrationError(`Migration ${name} has no readable migration.sql in ${dir}.`);
      }
    }),
  );
}

// Refuses any history this code did not write, and returns what is left to apply, in order.
function checkHistory(local: LocalMigration[], records: RecordedMigration[]): LocalMigration[] {
  const failed = records.find((record) => !record.finished && !record.rolledBack);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.name} failed part-way on this database earlier; repair the database by hand, then mark it rolled back (npx prisma migrate resolve --rolled-back ${failed.name}) before migrating again.`,
    );
  }
  const applied = records.filter((record) => record.finished && !record.rolledBack);
  const byName = new Map(local.map((migration) => [migration.name, migration]));
  const unknown = applied.find((record) => !byName.has(record.name));
  if (unknown) {
    throw new MigrationError(`This database was migrated by a newer version of Mandate: ${unknown.name}; upgrade Mandate.`);
  }
  for (const record of applied) {
    if (!matchesChecksum(byName.get(record.name)?.sql ?? "", record.checksum)) {
      throw new MigrationError(`Migration ${record.name} was changed after it was applied to this database; restore its original migration.sql.`);
    }
  }
  const done = new Set(applied.map((record) => record.name));
  return local.filter((migration) => !done.has(migration.name));
}

async function readRecords(client: pg.Client): Promise<RecordedMigration[]> {
  const result = await client.query<{ migration_name: string; checksum: string; finished: boolean; rolled_back: boolean }>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
  return result.rows.map((row) => ({ name: row.migration_name, checksum: row.checksum, finished: row.finished, rolledBack: row.rolled_back }));
}

// The script runs as one simple-protocol batch inside our transaction, so it must not contain
// its own BEGIN/COMMIT or statements that refuse transactions (CREATE INDEX CONCURRENTLY).
async function apply(client: pg.Client, migration: LocalMigration): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
      [randomUUID(), migrationChecksum(migration.sql), migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${messageOf(error)}`);
  }
}

async function lock(client: pg.Client, timeoutMs: number): Promise<void> {
  try {
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") {
      throw new MigrationError(`Another process kept this database locked for migration for over ${Math.round(timeoutMs / 1000)} s; try again when it has finished.`);
    }
    throw error;
  } finally {
    // Only the wait for our lock is bounded; migrations themselves wait as long as they need.
    await client.query("RESET lock_timeout").catch(() => {});
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "mandate-migrate" });
  // A connection dropped by the server surfaces through the failing query; this only keeps the process alive.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(`Cannot connect to the database to migrate it: ${messageOf(error)}`);
  }
  try {
    return await work(client);
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Migrating the database failed: ${messageOf(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
