// The migration runner against real PostgreSQL: Prisma-compatible records, refusals, the lock,
// the append-only audit tables, and a chain sealed before the seal moved out of audit_event.
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalSql, sealHash } from "@/lib/audit/canonical-event";
import { sealEvents } from "@/lib/audit/seal-events";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { defaultMigrationsDir, migrate, MigrationError, migrationStatus } from "@/lib/db/migrate";
import { createTestDatabase, dropTestDatabase } from "../support/database";

const url = () => process.env.DATABASE_URL as string;
const scratch: string[] = [];
const tempDirs: string[] = [];

async function scratchDatabase(migrated: boolean): Promise<string> {
  const created = await createTestDatabase("m", { migrated });
  scratch.push(created);
  return created;
}

/** A copy of the real migrations folder to mutate. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mandate-migrations-"));
  tempDirs.push(dir);
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

async function withClient<T>(target: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let names: string[];

beforeAll(async () => {
  names = (await readdir(defaultMigrationsDir(), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
});
afterEach(async () => {
  await Promise.all(scratch.splice(0).map(dropTestDatabase));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("migrate", () => {
  it("records each migration in _prisma_migrations as Prisma does", async () => {
    expect(names).toContain("20261126100000_init");
    const rows = await withClient(url(), async (client) =>
      (await client.query("SELECT * FROM _prisma_migrations ORDER BY migration_name")).rows,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = await readFile(path.join(defaultMigrationsDir(), row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
    }
  });

  it("creates _prisma_migrations with Prisma's exact columns", async () => {
    const columns = await withClient(url(), async (client) =>
      (await client.query(`SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
                             FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`)).rows,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", len: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", len: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", len: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", len: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", len: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", len: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", len: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", len: null, is_nullable: "NO", column_default: "0" },
    ]);
  });

  it("applies nothing the second time, and reports the database up to date", async () => {
    const lines: string[] = [];
    expect(await migrate(url(), { log: (line) => lines.push(line) })).toEqual({ applied: [] });
    expect(lines.join("\n")).toMatch(/up to date/);
    expect(await migrationStatus(url())).toEqual({ applied: names, pending: [] });
    const count = await withClient(url(), async (client) => (await client.query("SELECT count(*)::int AS n FROM _prisma_migrations")).rows[0].n);
    expect(count).toBe(names.length);
  });

  it("reports every migration pending on an empty database without touching it", async () => {
    const empty = await scratchDatabase(false);
    expect(await migrationStatus(empty)).toEqual({ applied: [], pending: names });
    const table = await withClient(empty, async (client) => (await client.query("SELECT to_regclass('_prisma_migrations') AS t")).rows[0].t);
    expect(table).toBeNull();
  });

  it("runs safely when two instances start at once: both finish, each migration is recorded once", async () => {
    const fresh = await scratchDatabase(false);
    const [first, second] = await Promise.all([migrate(fresh), migrate(fresh)]);
    expect([...first.applied, ...second.applied].sort()).toEqual(names);
    const counts = await withClient(fresh, async (client) =>
      (await client.query("SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1")).rows,
    );
    expect(counts).toEqual(names.map((name) => ({ migration_name: name, n: 1 })));
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const dir = await copyOfMigrations();
    await writeFile(path.join(dir, "20261126100000_init", "migration.sql"), "\n-- edited", { flag: "a" });
    await expect(migrate(url(), { migrationsDir: dir })).rejects.toThrow(MigrationError);
    await expect(migrate(url(), { migrationsDir: dir })).rejects.toThrow(/^Migration 20261126100000_init was changed after it was applied/);
  });

  it("accepts the same file with Windows line endings, as Prisma does", async () => {
    const dir = await copyOfMigrations();
    const file = path.join(dir, "20261126100000_init", "migration.sql");
    await writeFile(file, (await readFile(file, "utf8")).replaceAll("\n", "\r\n"));
    expect(await migrate(url(), { migrationsDir: dir })).toEqual({ applied: [] });
  });

  it("refuses a database migrated by a newer version", async () => {
    const db = await scratchDatabase(true);
    await withClient(db, (client) =>
      client.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
                    VALUES (gen_random_uuid()::text, repeat('a', 64), now(), '20990101000000_future', now(), 1)`),
    );
    await expect(migrate(db)).rejects.toThrow(
      new MigrationError("This database was migrated by a newer version of Mandate: 20990101000000_future; upgrade Mandate."),
    );
    await expect(migrationStatus(db)).rejects.toThrow(/newer version of Mandate/);
  });

  it("refuses to continue after a migration that failed part-way", async () => {
    const db = await scratchDatabase(true);
    await withClient(db, (client) =>
      client.query(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
                    VALUES (gen_random_uuid()::text, repeat('b', 64), '20990101000000_half', now(), 0)`),
    );
    await expect(migrate(db)).rejects.toThrow(/^Migration 20990101000000_half failed part-way/);
  });

  it("rolls back a failing migration entirely and reports PostgreSQL's message; the fixed one then applies", async () => {
    const db = await scratchDatabase(true);
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, "20990101000000_broken"));
    const file = path.join(dir, "20990101000000_broken", "migration.sql");
    await writeFile(file, 'CREATE TABLE "scratch" ("id" INTEGER);\nSELECT 1 / 0;\n');
    await expect(migrate(db, { migrationsDir: dir })).rejects.toThrow(
      new MigrationError("Migration 20990101000000_broken failed and was rolled back: division by zero"),
    );
    const after = await withClient(db, async (client) => ({
      table: (await client.query("SELECT to_regclass('scratch') AS t")).rows[0].t,
      rows: (await client.query("SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = '20990101000000_broken'")).rows[0].n,
    }));
    expect(after).toEqual({ table: null, rows: 0 });

    await writeFile(file, 'CREATE TABLE "scratch" ("id" INTEGER);\n');
    expect(await migrate(db, { migrationsDir: dir })).toEqual({ applied: ["20990101000000_broken"] });
  });
});

describe("the migrations' own rules", () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url() });
    await client.connect();
  });
  afterAll(() => client.end());

  const addEvent = async () =>
    (await client.query<{ id: string }>("INSERT INTO audit_event (actor_type, type, data) VALUES ('system', 'test.event', '{\"a\":1}') RETURNING id")).rows[0]!.id;
  const refused = (sql: string, params: unknown[] = []) => expect(client.query(sql, params)).rejects.toThrow(/audit_event is append-only/);

  it("keeps audit_event append-only: no UPDATE of data, no DELETE, no TRUNCATE", async () => {
    const id = await addEvent();
    await refused("UPDATE audit_event SET type = 'forged' WHERE id = $1", [id]);
    await refused("UPDATE audit_event SET data = NULL WHERE id = $1", [id]);
    await refused("DELETE FROM audit_event WHERE id = $1", [id]);
    await refused("TRUNCATE audit_event");
    await refused("TRUNCATE person CASCADE");
    const row = (await client.query("SELECT type, data FROM audit_event WHERE id = $1", [id])).rows[0];
    expect(row).toEqual({ type: "test.event", data: { a: 1 } });
  });

  it("queues each event for the sealer; a seal takes it off the queue, once, and is never changed", async () => {
    const id = await addEvent();
    const queued = async () => (await client.query("SELECT count(*)::int AS n FROM audit_unsealed WHERE event_id = $1", [id])).rows[0].n as number;
    expect(await queued()).toBe(1);
    await expect(client.query("DELETE FROM audit_unsealed WHERE event_id = $1", [id])).rejects.toThrow(/leaves the queue only by being sealed/);
    const seal = "INSERT INTO audit_seal (seq, event_id, prev_hash, hash) VALUES ($2, $1, repeat('0', 64), repeat('f', 64))";
    expect((await client.query(seal, [id, 901])).rowCount).toBe(1);
    expect(await queued()).toBe(0);
    await expect(client.query(seal, [id, 902])).rejects.toThrow(/audit_seal_event_id_key/); // sealing twice
    await expect(client.query("UPDATE audit_seal SET hash = 'other' WHERE seq = 901")).rejects.toThrow(/audit_seal is insert-only/);
    await expect(client.query("DELETE FROM audit_seal WHERE seq = 901")).rejects.toThrow(/audit_seal is insert-only/);
    await refused("UPDATE audit_event SET type = type WHERE id = $1", [id]);
    const row = (await client.query("SELECT seq::text, prev_hash, hash FROM audit_seal WHERE event_id = $1", [id])).rows[0];
    expect(row).toEqual({ seq: "901", prev_hash: "0".repeat(64), hash: "f".repeat(64) });
  });

  it("creates the single fleet_state row and refuses a second one and impossible values", async () => {
    expect((await client.query("SELECT id, stopped, version FROM fleet_state")).rows).toEqual([{ id: 1, stopped: false, version: 1 }]);
    await expect(client.query("INSERT INTO fleet_state (id) VALUES (2)")).rejects.toThrow(/fleet_state_id_check/);
    await expect(client.query("INSERT INTO global_policy (name, required_approvals, updated_at) VALUES ('p', 0, now())")).rejects.toThrow(
      /global_policy_required_approvals_check/,
    );
    await expect(client.query("INSERT INTO global_policy (name, expiry_seconds, updated_at) VALUES ('p', 0, now())")).rejects.toThrow(
      /global_policy_expiry_seconds_check/,
    );
  });
});

describe("20261129100000_audit_seal_table: the seal moves out of audit_event", () => {
  const SEAL_TABLE = "20261129100000_audit_seal_table";

  it("keeps a chain sealed before it valid, queues what was not sealed yet, and the sealer carries on", async () => {
    const target = await scratchDatabase(false);
    const dir = await copyOfMigrations();
    // The database as it was before the seal table: the migrations after it come later too (one needs audit_seal).
    const upgrade = names.filter((name) => name >= SEAL_TABLE);
    await Promise.all(upgrade.map((name) => rm(path.join(dir, name), { recursive: true })));
    await migrate(target, { migrationsDir: dir });
    // Sealed the way the sealer did until then: in place, in id order.
    const head = await withClient(target, async (client) => {
      await client.query(`INSERT INTO audit_event (actor_type, type, subject_id, data, reasoning, ip)
        SELECT 'system', 'test.event', n::text, jsonb_build_object('n', n, 'note', E'caf\u00e9\n"q"'), CASE WHEN n % 2 = 0 THEN '{"instruction": "x"}'::jsonb END,
          CASE WHEN n % 3 = 0 THEN NULL ELSE '198.51.100.' || n END
        FROM generate_series(1, 8) AS n`);
      const { rows } = await client.query<{ id: string; canonical: string }>(`SELECT e.id::text, ${canonicalSql("e")} AS canonical FROM audit_event AS e ORDER BY e.id LIMIT 5`);
      let prev = GENESIS_HASH;
      for (const [index, row] of rows.entries()) {
        const hash = sealHash(index + 1, prev, row.canonical);
        await client.query("UPDATE audit_event SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1", [row.id, index + 1, prev, hash]);
        prev = hash;
      }
      return prev;
    });

    expect(await migrate(target)).toEqual({ applied: upgrade });
    const pool = new pg.Pool({ connectionString: target, max: 2 });
    try {
      expect(await verifyAuditChain({ pool })).toMatchObject({ ok: true, checked: 5, head: { seq: 5, hash: head } });
      const columns = (await pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_event'")).rows.map((row) => row.column_name);
      expect(columns).not.toContain("seq");
      const ids = (await pool.query<{ id: string }>("SELECT id::text FROM audit_event ORDER BY id")).rows.map((row) => row.id);
      const queued = (await pool.query<{ id: string }>("SELECT event_id::text AS id FROM audit_unsealed ORDER BY event_id")).rows.map((row) => row.id);
      expect(queued).toEqual(ids.slice(5));
      const client = await pool.connect();
      try {
        expect(await sealEvents(client, { maxHoldMs: 0 })).toMatchObject({ locked: true, sealed: 3, held: 0 });
      } finally {
        client.release();
      }
      expect(await verifyAuditChain({ pool })).toMatchObject({ ok: true, checked: 8, head: { seq: 8 } });
      // The old way of sealing is gone: audit_event takes no UPDATE at all.
      await expect(pool.query("UPDATE audit_event SET type = type WHERE id = $1", [ids[0]])).rejects.toThrow(/audit_event is append-only/);
    } finally {
      await pool.end();
    }
  });
});
