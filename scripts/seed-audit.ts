// `npm run bench:seed-audit -- 5000000`: fills a database with a realistic audit trail for the
// viewer benchmark — a few hundred agents' decisions with their reasoning, traces, delegation
// chains, outcomes and approvals, and people's sign-ins and changes — generated inside PostgreSQL
// in chunks (see seed-audit-sql.ts), then sealed into the chain and copied into the free-text
// search index, as a console that had been running all along would have. Writes into
// DATABASE_URL when set, otherwise into a throwaway embedded PostgreSQL (then only the timing is
// of use). Appends: run it twice for twice the rows.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { SEARCH_INDEXER_LOCK_KEY } from "@/lib/audit/index-audit-search";
import { AUDIT_LOCK_SPACE, sealEvents } from "@/lib/audit/seal-events";
import { hasDatabaseUrl } from "@/lib/config/env";
import { resolveDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import {
  COVER_SEARCH_SQL,
  CREATE_SEARCH_INDEX_SQL,
  FILL_SEARCH_SQL,
  functionsSql,
  INSERT_AUDIT_SQL,
  INSERT_CHECKPOINTS_SQL,
  INSERT_DECISIONS_SQL,
  lookupTablesSql,
  SEARCH_INDEX_NAME,
  slotsSql,
} from "./seed-audit-sql";

export interface SeedAuditOptions {
  agents?: number;
  people?: number;
  /** Events per transaction; rounded to whole blocks of eight. */
  chunk?: number;
  /** How far back the generated history starts. */
  days?: number;
  log?: (line: string) => void;
}

export interface SeedAuditResult {
  events: number;
  decisions: number;
  /** Events sealed (this run's, and any other left queued). */
  sealed: number;
  /** Events copied into the search index. */
  indexed: number;
  seconds: number;
  agentSlugs: string[];
}

const DAY = 86_400_000;
const ROLES = (idx: number) => (idx < 3 ? ["admin"] : idx < 11 ? ["approver"] : idx < 15 ? ["auditor"] : []);
const FIRST_NAMES = ["Ada", "Bram", "Chiara", "Dmitri", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Mei", "Nadia", "Omar", "Priya"];
const LAST_NAMES = ["Achebe", "Bauer", "Costa", "Dubois", "Eze", "Fischer", "Gallo", "Hale", "Ito", "Jansen"];
const TEAMS = ["support", "sales", "finance", "engineering", "operations", "legal"];

/** Appends `count` events (and their decisions, checkpoints and approvals) to the database at `url`. */
export async function seedAudit(url: string, count: number, options: SeedAuditOptions = {}): Promise<SeedAuditResult> {
  const log = options.log ?? (() => {});
  const agents = options.agents ?? 300;
  const people = options.people ?? 40;
  const chunk = Math.max(8, Math.floor((options.chunk ?? 100_000) / 8) * 8);
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const agentSlugs = await ensureActors(client, agents, people);
    // Time runs forward from the newest event already there, so ids keep following created_at.
    const last = (await client.query<{ ms: string | null }>("SELECT (extract(epoch FROM max(created_at)) * 1000)::bigint::text AS ms FROM audit_event")).rows[0]?.ms;
    const end = Date.now() - 60_000;
    const startMs = Math.max(end - (options.days ?? 90) * DAY, last ? Number(last) + 1 : 0);
    const stepMs = Math.max(0.001, (end - startMs) / Math.max(1, count));
    // JIT would compile the wide generated expressions for every chunk, for nothing.
    await client.query("SET jit = off; SET work_mem = '64MB'");
    await client.query(lookupTablesSql());
    await client.query(functionsSql({ nonce: randomBytes(4).toString("hex"), startMs, stepMs, agents, people }));

    let decisions = 0;
    for (let from = 0; from < count; from += chunk) {
      const to = Math.min(count, from + chunk) - 1;
      await client.query("BEGIN");
      for (const statement of slotsSql(from, to)) await client.query(statement);
      decisions += (await client.query(INSERT_DECISIONS_SQL)).rowCount ?? 0;
      await client.query(INSERT_CHECKPOINTS_SQL);
      await client.query(INSERT_AUDIT_SQL);
      await client.query("COMMIT");
      const seconds = (Date.now() - started) / 1000;
      log(`  ${(to + 1).toLocaleString("en-US")} / ${count.toLocaleString("en-US")} events (${Math.round((to + 1) / seconds).toLocaleString("en-US")}/s)`);
    }
    const sealed = await sealQueued(client, log);
    const indexed = await fillSearch(client, log);
    log("VACUUM ANALYZE (as autovacuum would have by now) …");
    await client.query("VACUUM (ANALYZE) audit_event, audit_unsealed, audit_seal, audit_search, decision, checkpoint, approval");
    return { events: count, decisions, sealed, indexed, seconds: (Date.now() - started) / 1000, agentSlugs };
  } finally {
    await client.end();
  }
}

const SEAL_BATCH = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Chains every queued event with the sealer's own rounds (big batches: the catch-up rate). A
 * console running against the same database may hold the sealer's lock; then its rounds seal
 * them and this waits. Rows held back by a running transaction are waited for, as the sealer would.
 */
async function sealQueued(client: pg.Client, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  // Up to the newest event now: on a live database the queue is never empty for long.
  const top = (await client.query<{ id: string | null }>("SELECT max(id)::text AS id FROM audit_event")).rows[0]?.id ?? "0";
  let sealed = 0;
  let reported = 0;
  for (;;) {
    const round = await sealEvents(client, { batchSize: SEAL_BATCH });
    sealed += round.sealed;
    if (sealed - reported >= 500_000) {
      reported = sealed;
      log(`  sealed ${sealed.toLocaleString("en-US")} (${Math.round(sealed / ((Date.now() - started) / 1000)).toLocaleString("en-US")}/s)`);
    }
    if (round.sealed === SEAL_BATCH) continue;
    const waiting = await client.query("SELECT 1 FROM audit_unsealed WHERE event_id <= $1::bigint LIMIT 1", [top]);
    if (waiting.rowCount === 0) break;
    await sleep(100);
  }
  log(`Sealed ${sealed.toLocaleString("en-US")} events in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return sealed;
}

/**
 * Copies the new seals' instructions into audit_search in one statement, under the indexer's lock
 * (a console's indexer waits meanwhile). When the copy at least doubles the table, the trigram
 * index is dropped first and built again after: one sorted build instead of as many inserts.
 */
async function fillSearch(client: pg.Client, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", [AUDIT_LOCK_SPACE, SEARCH_INDEXER_LOCK_KEY]);
    const { rows } = await client.query<{ have: string; missing: string }>(
      `SELECT (SELECT count(*) FROM audit_search)::text AS have,
              (SELECT count(*) FROM audit_seal WHERE seq > (SELECT seq FROM audit_search_progress WHERE id = 1))::text AS missing`,
    );
    const missing = Number(rows[0]?.missing ?? 0);
    const rebuild = missing > 0 && missing >= Number(rows[0]?.have ?? 0);
    await client.query(COVER_SEARCH_SQL);
    if (rebuild) await client.query(`DROP INDEX "${SEARCH_INDEX_NAME}"`);
    const filled = await client.query<{ added: number }>(FILL_SEARCH_SQL);
    if (rebuild) await client.query(`SET LOCAL maintenance_work_mem = '256MB'; ${CREATE_SEARCH_INDEX_SQL}`);
    await client.query("COMMIT");
    const added = filled.rows[0]?.added ?? 0;
    log(`Indexed ${added.toLocaleString("en-US")} instructions for the text search in ${((Date.now() - started) / 1000).toFixed(0)} s${rebuild ? " (index rebuilt)" : ""}.`);
    return added;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** The seed's people and agents (created once, reused by later runs), as temporary lookup tables. */
async function ensureActors(client: pg.Client, agents: number, people: number): Promise<string[]> {
  const personRows = Array.from({ length: people }, (_, idx) => ({
    email: `seed-person-${String(idx).padStart(3, "0")}@seed.example`,
    name: `${FIRST_NAMES[idx % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(idx / FIRST_NAMES.length) % LAST_NAMES.length]}`,
    roles: ROLES(idx),
  }));
  await client.query(
    `INSERT INTO person (email, name, roles, updated_at)
     SELECT p->>'email', p->>'name', ARRAY(SELECT jsonb_array_elements_text(p->'roles'))::"Role"[], now() FROM jsonb_array_elements($1::jsonb) AS p
     ON CONFLICT (email) DO NOTHING`,
    [JSON.stringify(personRows)],
  );
  await client.query(`
    CREATE TEMP TABLE seed_person AS
    SELECT (row_number() OVER (ORDER BY email) - 1)::int AS idx, id, roles FROM person WHERE email LIKE 'seed-person-%@seed.example';
    ALTER TABLE seed_person ADD COLUMN approver_rank int;
    UPDATE seed_person s SET approver_rank = r.rank FROM (
      SELECT idx, (row_number() OVER (ORDER BY idx) - 1)::int AS rank FROM seed_person WHERE 'approver' = ANY(roles)) r WHERE r.idx = s.idx;`);

  const agentRows = Array.from({ length: agents }, (_, idx) => {
    const team = TEAMS[idx % TEAMS.length]!;
    return {
      slug: `seed-${team}-${String(idx).padStart(3, "0")}`,
      name: `${team[0]!.toUpperCase()}${team.slice(1)} agent ${idx}`,
      purpose: `Handles routine ${team} work for the ${team} team (seeded for the audit viewer benchmark).`,
      maturity: ["intern", "junior", "senior", "principal"][idx % 4],
      deployedBy: personRows[idx % people]!.email,
    };
  });
  await client.query(
    `INSERT INTO agent (slug, name, purpose, status, maturity, deployed_by_id, updated_at, created_at)
     SELECT a->>'slug', a->>'name', a->>'purpose', 'active', (a->>'maturity')::"Maturity", p.id, now(), now() - interval '120 days'
     FROM jsonb_array_elements($1::jsonb) AS a JOIN person p ON p.email = a->>'deployedBy'
     ON CONFLICT (slug) DO NOTHING`,
    [JSON.stringify(agentRows)],
  );
  await client.query(
    `CREATE TEMP TABLE seed_agent AS
     SELECT (a.ord - 1)::int AS idx, g.id, g.slug FROM unnest($1::text[]) WITH ORDINALITY AS a(slug, ord) JOIN agent g ON g.slug = a.slug`,
    [agentRows.map((agent) => agent.slug)],
  );
  await client.query("ALTER TABLE seed_agent ADD PRIMARY KEY (idx); ALTER TABLE seed_person ADD PRIMARY KEY (idx)");
  return agentRows.map((agent) => agent.slug);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 5_000_000);
  if (!Number.isSafeInteger(count) || count < 8) {
    console.error("Usage: npm run bench:seed-audit -- <number of events, at least 8>   (e.g. 5000000)");
    process.exitCode = 2;
    return;
  }
  const dataDir = hasDatabaseUrl() ? null : mkdtempSync(path.join(tmpdir(), "mandate-seed-audit-"));
  const database = await resolveDatabase({ dataDir: dataDir ?? ".", log: (line) => console.log(line) });
  console.log(database.embedded ? `Throwaway embedded PostgreSQL in ${dataDir} (removed at the end).` : "Writing into DATABASE_URL.");
  try {
    await migrate(database.url);
    const result = await seedAudit(database.url, count, { log: (line) => console.log(line) });
    console.log(
      `Seeded ${result.events.toLocaleString("en-US")} audit events (${result.decisions.toLocaleString("en-US")} decisions) for ` +
        `${result.agentSlugs.length} agents, sealed ${result.sealed.toLocaleString("en-US")} and indexed ${result.indexed.toLocaleString("en-US")}, in ${result.seconds.toFixed(1)} s.`,
    );
  } finally {
    await database.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
