// `npm run bench:audit-viewer`: the audit viewer's query at N events (default 5,000,000;
// BENCH_VIEWER_N to change). For each filter it times the first page and the fiftieth page (reached
// by following the "older" cursor 49 times, untimed) through listAuditEvents — the same function
// the page calls, rows and names included — and prints p50 and p95 over BENCH_VIEWER_RUNS runs.
// Uses DATABASE_URL when set (seeding only the events missing up to N, and sealing and indexing
// any left unsealed or unindexed), otherwise a throwaway embedded PostgreSQL seeded from scratch.
// See bench/README.md.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { hasDatabaseUrl } from "@/lib/config/env";
import { resolveDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { seedAudit } from "../scripts/seed-audit";

const N = Number(process.env.BENCH_VIEWER_N ?? 5_000_000);
const RUNS = Number(process.env.BENCH_VIEWER_RUNS ?? 20);
const TARGET_MS = 100;
const DEEP_PAGE = 50;

type Params = Record<string, string>;

interface Row {
  name: string;
  params: Params;
  first: number[];
  firstCount: number;
  deep: number[] | null;
  deepNote?: string;
}

async function main(): Promise<number> {
  const dataDir = hasDatabaseUrl() ? null : mkdtempSync(path.join(tmpdir(), "mandate-bench-audit-"));
  const database = await resolveDatabase({ dataDir: dataDir ?? ".", log: (line) => console.log(line) });
  console.log(database.embedded ? `Throwaway embedded PostgreSQL in ${dataDir}` : "Using DATABASE_URL");
  process.env.DATABASE_URL = database.url;
  const client = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    await migrate(database.url);
    const have = Number((await client.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_event")).rows[0]?.n ?? 0);
    if (have < N) {
      console.log(`Seeding ${(N - have).toLocaleString("en-US")} events (have ${have.toLocaleString("en-US")}, want ${N.toLocaleString("en-US")}) …`);
      const seeded = await seedAudit(database.url, N - have, { log: (line) => console.log(line) });
      console.log(`Seeded in ${seeded.seconds.toFixed(0)} s.`);
    } else {
      console.log(`The database holds ${have.toLocaleString("en-US")} events already; no seeding.`);
      // Seeded before the seed sealed and indexed (or written while no console ran): a live
      // console's chain and search index trail the newest events by about a second, not by all of them.
      const { rows } = await client.query<{ behind: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM audit_unsealed) OR (SELECT seq FROM audit_search_progress WHERE id = 1) < (SELECT coalesce(max(seq), 0) FROM audit_seal) AS behind`,
      );
      if (rows[0]?.behind) {
        console.log("Sealing and indexing the events not sealed or indexed yet …");
        await seedAudit(database.url, 0, { log: (line) => console.log(line) });
      }
    }
    const rows: Row[] = [];
    for (const [name, params] of await filters(client)) {
      process.stdout.write(`${name} … `);
      rows.push(await measure(client, name, params));
      console.log("done");
    }
    printTable(rows, have < N ? N : have);
    return 0;
  } finally {
    await client.end();
    await database.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One realistic value per filter, picked from the seeded data (busy and quiet values where it matters). */
async function filters(client: pg.Pool): Promise<Array<[string, Params]>> {
  const one = async (sql: string) => (await client.query<{ v: string | null }>(sql)).rows[0]?.v ?? null;
  const busyAgent = await one("SELECT slug AS v FROM agent WHERE slug LIKE 'seed-%-000'");
  const quietAgent = await one("SELECT slug AS v FROM agent WHERE slug LIKE 'seed-%-150'");
  const person = await one("SELECT email AS v FROM person WHERE email = 'seed-person-000@seed.example'");
  const trace = await one("SELECT trace_id AS v FROM audit_event WHERE parent_id IS NOT NULL AND trace_id IS NOT NULL ORDER BY id DESC OFFSET 1000 LIMIT 1");
  const rare = await one(
    "SELECT substring(reasoning->>'instruction' from 'ticket #[0-9]+') AS v FROM audit_event WHERE type = 'decision.made' AND reasoning->>'instruction' LIKE '%ticket #%' ORDER BY id DESC OFFSET 20000 LIMIT 1",
  );
  const newest = await one("SELECT max(created_at)::text AS v FROM audit_event");
  const day = newest ? new Date(new Date(newest).getTime() - 30 * 86_400_000) : new Date();
  const list: Array<[string, Params | null]> = [
    ["no filter", {}],
    ["agent (busiest)", busyAgent ? { agent: busyAgent } : null],
    ["agent (quiet)", quietAgent ? { agent: quietAgent } : null],
    ["person", person ? { person } : null],
    ["event type permission.updated", { type: "permission.updated" }],
    ["event type checkpoint.denied", { type: "checkpoint.denied" }],
    ["action billing.refund.issue", { action: "billing.refund.issue" }],
    ["action crm.export.run", { action: "crm.export.run" }],
    ["effect deny", { effect: "deny" }],
    ["effect pending", { effect: "pending" }],
    ["time range (one day, a month back)", { from: new Date(day.getTime() - 86_400_000).toISOString(), to: day.toISOString() }],
    ["trace id", trace ? { trace } : null],
    ["text \"refund\"", { q: "refund" }],
    ["text \"Okonkwo\"", { q: "Okonkwo" }],
    // Thousands of matches in millions: too few for a scan to fill a page, too many to read them all.
    ["text \"pipeline 1\" (medium-rare)", { q: "pipeline 1" }],
    ["text \"INV-12\" (medium-rare)", { q: "INV-12" }],
    [`text "${rare ?? "(none)"}" (rare)`, rare ? { q: rare } : null],
    ["agent + effect deny", busyAgent ? { agent: busyAgent, effect: "deny" } : null],
    ["agent + action crm.export.run", busyAgent ? { agent: busyAgent, action: "crm.export.run" } : null],
  ];
  return list.flatMap(([name, params]) => (params ? [[name, params] as [string, Params]] : []));
}

async function measure(client: pg.Pool, name: string, params: Params): Promise<Row> {
  const time = async (query: Params) => {
    const started = performance.now();
    const page = await listAuditEvents(query, { client });
    if (page.errors) throw new Error(`${name}: ${page.errors.map((e) => e.message).join(" ")}`);
    return { ms: performance.now() - started, page };
  };
  await time(params); // warm-up: plans, caches
  const first: number[] = [];
  let firstCount = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const { ms, page } = await time(params);
    first.push(ms);
    firstCount = page.events.length;
  }
  // Follow the older-cursor to the start of the deep page, as a reader clicking "Older" would.
  let cursor: string | undefined;
  let page = (await time(params)).page;
  for (let n = 1; n < DEEP_PAGE; n += 1) {
    cursor = page.older;
    if (!cursor) return { name, params, first, firstCount, deep: null, deepNote: `only ${n} page${n === 1 ? "" : "s"}` };
    page = (await time({ ...params, before: cursor })).page;
  }
  const deepQuery = { ...params, before: cursor! };
  await time(deepQuery);
  const deep: number[] = [];
  for (let run = 0; run < RUNS; run += 1) deep.push((await time(deepQuery)).ms);
  return { name, params, first, firstCount, deep };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function printTable(rows: Row[], events: number) {
  const fmt = (ms: number) => ms.toFixed(1);
  console.log(
    `\nAudit viewer, ${events.toLocaleString("en-US")} events, ${RUNS} runs per page, 100 events a page (${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)})\n`,
  );
  console.log("| filter | page 1 rows | page 1 p50 ms | page 1 p95 ms | page 50 p50 ms | page 50 p95 ms | p95 < 100 ms |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  let met = 0;
  for (const row of rows) {
    const p95 = Math.max(percentile(row.first, 95), row.deep ? percentile(row.deep, 95) : 0);
    const ok = p95 < TARGET_MS;
    if (ok) met += 1;
    const deep = row.deep ? [fmt(percentile(row.deep, 50)), fmt(percentile(row.deep, 95))] : [row.deepNote ?? "—", "—"];
    console.log(`| ${row.name} | ${row.firstCount} | ${fmt(percentile(row.first, 50))} | ${fmt(percentile(row.first, 95))} | ${deep.join(" | ")} | ${ok ? "yes" : "**no**"} |`);
  }
  console.log(`\n${met} of ${rows.length} filters under ${TARGET_MS} ms at p95 on both pages.`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
