// Proves the hand-written migrations build exactly the database schema.prisma describes:
// both sides are rendered as the same one-line facts, and any fact on one side only is reported.
import { readFile } from "node:fs/promises";
import { getDMMF } from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Datamodel = Awaited<ReturnType<typeof getDMMF>>["datamodel"];
type Field = Datamodel["models"][number]["fields"][number];

const SCHEMA = new URL("../../prisma/schema.prisma", import.meta.url);
const ACTIONS: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
const PRISMA_ACTIONS: Record<string, string> = { NoAction: "NO ACTION", Restrict: "RESTRICT", Cascade: "CASCADE", SetNull: "SET NULL", SetDefault: "SET DEFAULT" };

/** Identifiers as format_type() prints them: quoted only when they need it. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

// ---------------------------------------------------------------- expected, from schema.prisma

function expectedFacts(dm: Datamodel): string[] {
  const facts: string[] = [];
  const enumDbName = new Map(dm.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(dm.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = new Map(dm.models.map((m) => [m.name, new Map(m.fields.map((f) => [f.name, f.dbName ?? f.name]))]));
  const column = (model: string, field: string) => columnOf.get(model)?.get(field) ?? `?${field}`;

  for (const e of dm.enums) facts.push(`enum ${e.dbName ?? e.name} (${e.values.map((v) => v.dbName ?? v.name).join(", ")})`);

  for (const model of dm.models) {
    const table = tableOf.get(model.name) ?? model.name;
    facts.push(`table ${table}`);
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const name = field.dbName ?? field.name;
      const type = sqlType(field, enumDbName);
      const notNull = field.isRequired && !field.isList; // Prisma never puts NOT NULL on list columns
      const fallback = expectedDefault(field, type, table, name);
      facts.push(`column ${table}.${name} ${type}${notNull ? " NOT NULL" : ""}${fallback === null ? "" : ` DEFAULT ${fallback}`}`);
    }
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const from = field.relationFromFields.map((f) => column(model.name, f));
      const to = (field.relationToFields ?? []).map((f) => column(field.type, f));
      const anyOptional = field.relationFromFields.some((f) => !model.fields.find((x) => x.name === f)?.isRequired);
      const onDelete = PRISMA_ACTIONS[field.relationOnDelete ?? (anyOptional ? "SetNull" : "Restrict")];
      const onUpdate = PRISMA_ACTIONS[field.relationOnUpdate ?? "Cascade"];
      const target = tableOf.get(field.type) ?? field.type;
      facts.push(`foreign key ${table}_${from.join("_")}_fkey ${table}(${from.join(", ")}) -> ${target}(${to.join(", ")}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`);
    }
  }

  // Prisma's default names; a @map'd index carries its own dbName. Names over 63 characters
  // are shortened by Prisma in a way not modelled here, so such a name would show up as a mismatch.
  for (const index of dm.indexes) {
    const table = tableOf.get(index.model) ?? index.model;
    const cols = index.fields.map((f) => column(index.model, f.name));
    const rendered = index.fields.map((f, i) => `${cols[i]}${f.sortOrder === "desc" ? " DESC" : ""}`).join(", ");
    if (index.type === "id") facts.push(`primary key ${index.dbName ?? `${table}_pkey`} on ${table}(${cols.join(", ")})`);
    else if (index.type === "unique") facts.push(`unique index ${index.dbName ?? `${table}_${cols.join("_")}_key`} on ${table}(${rendered}) using btree`);
    else if (index.type === "normal") facts.push(`index ${index.dbName ?? `${table}_${cols.join("_")}_idx`} on ${table}(${rendered}) using ${(index.algorithm ?? "btree").toLowerCase()}`);
    else facts.push(`unsupported ${index.type} index on ${table}`);
  }
  return facts;
}

function sqlType(field: Field, enumDbName: Map<string, string>): string {
  const [native, args = []] = field.nativeType ?? [undefined, []];
  let base: string;
  if (field.kind === "enum") base = ident(enumDbName.get(field.type) ?? field.type);
  else if (field.type === "String") base = native === "Uuid" ? "uuid" : native === "VarChar" ? `character varying(${args[0]})` : "text";
  else if (field.type === "Int") base = native === "SmallInt" ? "smallint" : "integer";
  else if (field.type === "BigInt") base = "bigint";
  else if (field.type === "Boolean") base = "boolean";
  else if (field.type === "Float") base = "double precision";
  else if (field.type === "Json") base = native === "Json" ? "json" : "jsonb";
  else if (field.type === "Bytes") base = "bytea";
  else if (field.type === "DateTime") {
    const precision = args[0] ?? "3";
    base = native === "Date" ? "date" : `timestamp(${precision}) ${native === "Timestamptz" ? "with" : "without"} time zone`;
  } else base = `unsupported ${field.type} ${String(native)}`;
  return field.isList ? `${base}[]` : base;
}

/** The default as pg_get_expr() prints it, or null when schema.prisma has none (e.g. @updatedAt). */
function expectedDefault(field: Field, type: string, table: string, column: string): string | null {
  if (!field.hasDefaultValue) return null;
  const value: unknown = field.default;
  if (Array.isArray(value)) return value.length === 0 ? `ARRAY[]::${type}` : `unsupported list default ${JSON.stringify(value)}`;
  if (value !== null && typeof value === "object" && "name" in value) {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === "dbgenerated") return String(fn.args[0]);
    if (fn.name === "now") return "CURRENT_TIMESTAMP";
    if (fn.name === "autoincrement") return `nextval('${table}_${column}_seq'::regclass)`;
    return `unsupported default ${fn.name}()`;
  }
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  const quoted = `'${String(value).replaceAll("'", "''")}'`;
  return field.kind === "enum" || type !== "text" ? `${quoted}::${type}` : `${quoted}::text`;
}

// ---------------------------------------------------------------- actual, from the catalog

type Queryable = Pick<pg.Client, "query">;

async function actualFacts(db: Queryable): Promise<string[]> {
  const facts: string[] = [];
  const q = async <T extends pg.QueryResultRow>(sql: string) => (await db.query<T>(sql)).rows;
  // A partitioned table's ranges (audit_search's) are tables of their own in the catalog, with
  // copies of its columns, keys and indexes; schema.prisma describes the partitioned table only.
  const own = "n.nspname = current_schema() AND c.relname <> '_prisma_migrations' AND NOT c.relispartition";

  for (const e of await q<{ name: string; labels: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = current_schema() GROUP BY t.typname`)) {
    facts.push(`enum ${e.name} (${e.labels.join(", ")})`);
  }

  for (const r of await q<{ name: string; kind: string }>(`
      SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE ${own} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`)) {
    facts.push(r.kind === "r" || r.kind === "p" ? `table ${r.name}` : `relation ${r.name} of kind ${r.kind}`);
  }

  for (const c of await q<{ tbl: string; col: string; type: string; not_null: boolean; fallback: string | null; special: string }>(`
      SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
             pg_get_expr(d.adbin, d.adrelid) AS fallback, a.attidentity::text || a.attgenerated::text AS special
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE ${own} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`)) {
    const special = c.special ? ` (identity/generated ${c.special})` : "";
    facts.push(`column ${c.tbl}.${c.col} ${c.type}${c.not_null ? " NOT NULL" : ""}${c.fallback === null ? "" : ` DEFAULT ${c.fallback}`}${special}`);
  }

  for (const i of await q<{ tbl: string; name: string; is_unique: boolean; is_primary: boolean; method: string; predicate: string | null; cols: string[]; included: boolean }>(`
      SELECT c.relname AS tbl, i.relname AS name, x.indisunique AS is_unique, x.indisprimary AS is_primary, am.amname AS method,
             pg_get_expr(x.indpred, x.indrelid) AS predicate, x.indnatts <> x.indnkeyatts AS included,
             ARRAY(SELECT coalesce(a.attname::text, '(expression)') || CASE WHEN k.opt & 1 = 1 THEN ' DESC' ELSE '' END
                     FROM unnest(x.indkey::int2[], x.indoption::int2[]) WITH ORDINALITY AS k(attnum, opt, ord)
                     LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                    WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)::text[] AS cols
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = i.relam
       WHERE ${own}`)) {
    if (i.is_primary) continue; // reported with its constraint below
    const extra = `${i.predicate ? ` WHERE ${i.predicate}` : ""}${i.included ? " INCLUDE (...)" : ""}`;
    facts.push(`${i.is_unique ? "unique index" : "index"} ${i.name} on ${i.tbl}(${i.cols.join(", ")}) using ${i.method}${extra}`);
  }

  for (const k of await q<{ tbl: string; name: string; type: string; cols: string[]; ref: string | null; ref_cols: string[]; del: string; upd: string }>(`
      SELECT c.relname AS tbl, k.conname AS name, k.contype AS type, r.relname AS ref, k.confdeltype AS del, k.confupdtype AS upd,
             ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS cols,
             ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS ref_cols
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class r ON r.oid = k.confrelid
       WHERE ${own} AND k.contype IN ('p', 'f')`)) {
    if (k.type === "p") facts.push(`primary key ${k.name} on ${k.tbl}(${k.cols.join(", ")})`);
    else facts.push(`foreign key ${k.name} ${k.tbl}(${k.cols.join(", ")}) -> ${k.ref}(${k.ref_cols.join(", ")}) ON DELETE ${ACTIONS[k.del]} ON UPDATE ${ACTIONS[k.upd]}`);
  }
  return facts;
}

/** Every fact on one side only, worded so a failing assertion says what to fix. */
function compare(expected: string[], actual: string[]): string[] {
  const inDb = new Set(actual);
  const inSchema = new Set(expected);
  return [
    ...expected.filter((fact) => !inDb.has(fact)).map((fact) => `in schema.prisma, not in the database: ${fact}`),
    ...actual.filter((fact) => !inSchema.has(fact)).map((fact) => `in the database, not in schema.prisma: ${fact}`),
  ].sort();
}

// ---------------------------------------------------------------- tests

describe("the migrated database matches schema.prisma", () => {
  let dm: Datamodel;
  let expected: string[];
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });

  beforeAll(async () => {
    dm = (await getDMMF({ datamodel: await readFile(SCHEMA, "utf8") })).datamodel;
    expected = expectedFacts(dm);
    await client.connect();
  });
  afterAll(() => client.end());

  it("has every table, column, type, default, enum, key, index and foreign key, and nothing else", async () => {
    expect(compare(expected, await actualFacts(client))).toEqual([]);
  });

  it("covers the whole schema (the comparison is not vacuous)", () => {
    const count = (prefix: string) => expected.filter((fact) => fact.startsWith(prefix)).length;
    expect(count("table ")).toBe(dm.models.length);
    expect(count("enum ")).toBe(dm.enums.length);
    expect(count("foreign key ")).toBeGreaterThanOrEqual(30);
    expect(count("index ")).toBeGreaterThanOrEqual(30);
    expect(expected).toContain('column person.roles "Role"[] DEFAULT ARRAY[]::"Role"[]');
    expect(expected).toContain("column audit_event.id bigint NOT NULL DEFAULT nextval('audit_event_id_seq'::regclass)");
    expect(expected).toContain("column agent.updated_at timestamp(3) with time zone NOT NULL");
    expect(expected).toContain("foreign key agent_owner_agent_id_fkey agent_owner(agent_id) -> agent(id) ON DELETE CASCADE ON UPDATE CASCADE");
  });

  it("reports drift: a dropped index, an extra column, changed nullability, default, enum and delete rule", async () => {
    await client.query("BEGIN");
    try {
      await client.query(`
        DROP INDEX "agent_status_idx";
        ALTER TABLE "person" ADD COLUMN "nickname" TEXT;
        ALTER TABLE "agent" ALTER COLUMN "purpose" DROP NOT NULL;
        ALTER TABLE "agent" ALTER COLUMN "environment" SET DEFAULT 'staging';
        ALTER TYPE "Verdict" RENAME VALUE 'deny' TO 'reject';
        ALTER TABLE "credential" DROP CONSTRAINT "credential_agent_id_fkey";
        ALTER TABLE "credential" ADD CONSTRAINT "credential_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
        CREATE TABLE "stray" ("id" INTEGER);`);
      const mismatches = compare(expected, await actualFacts(client));
      expect(mismatches).toEqual(
        expect.arrayContaining([
          "in schema.prisma, not in the database: index agent_status_idx on agent(status) using btree",
          "in the database, not in schema.prisma: column person.nickname text",
          "in the database, not in schema.prisma: column agent.purpose text",
          "in the database, not in schema.prisma: column agent.environment text NOT NULL DEFAULT 'staging'::text",
          "in the database, not in schema.prisma: enum Verdict (approve, reject)",
          "in the database, not in schema.prisma: foreign key credential_agent_id_fkey credential(agent_id) -> agent(id) ON DELETE RESTRICT ON UPDATE CASCADE",
          "in the database, not in schema.prisma: table stray",
        ]),
      );
      expect(mismatches).toHaveLength(12); // nothing else: a changed fact shows on both sides, an added or dropped one on one
    } finally {
      await client.query("ROLLBACK");
    }
    expect(compare(expected, await actualFacts(client))).toEqual([]);
  });
});
