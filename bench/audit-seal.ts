// `npm run bench:audit`: the audit chain's two numbers. (1) Sealing under load: rows appended at a
// steady rate (decision-sized, one INSERT per 25 ms, as the group-commit writer appends them)
// while the sealer and the search indexer run as every console instance runs them (the indexer
// off with BENCH_AUDIT_SEARCH=0, to compare); prints the lag — the age of the oldest unsealed
// row, sampled every 100 ms — and how far the search index trails the chain. (2) Verification:
// N rows appended in bulk, sealed at full speed (the catch-up rate), then verified with 1 and 2
// ranges at a time; prints events per second and the CPU each side spent per event. Uses DATABASE_URL when set (it WRITES into
// that database), otherwise a throwaway embedded PostgreSQL. See bench/README.md.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startAuditSealer, startAuditSearchIndexer } from "@/lib/audit/audit-sealer";
import { sealEvents } from "@/lib/audit/seal-events";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { hasDatabaseUrl } from "@/lib/config/env";
import { resolveDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { cpuSnapshot, cpuSpent } from "@/bench/support/cpu-account";

const RATE = Number(process.env.BENCH_AUDIT_RATE ?? 8_000);
const SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 15);
const TOTAL = Number(process.env.BENCH_AUDIT_N ?? 1_000_000);
const PARALLEL = (process.env.BENCH_AUDIT_PARALLEL ?? "1,2").split(",").map(Number);
const SEARCH = process.env.BENCH_AUDIT_SEARCH !== "0";
const TICK_MS = 25;

// A decision.made row as the hot path writes it: about 680 bytes of canonical text, an instruction
// that varies (a customer and a ticket number) as real ones do, for the trigram index's sake.
const APPEND = `
INSERT INTO audit_event (created_at, actor_type, actor_agent_id, request_id, ip, user_agent, type, subject_type, subject_id, data, reasoning, trace_id)
SELECT clock_timestamp(), 'agent', '7b0a4c8e-2f7e-4d6b-9c41-3f5a2d1e0b9c', 'req-' || n, '203.0.113.' || (n % 250), 'mandate-sdk/0.1 node/20',
  'decision.made', 'decision', md5(n::text),
  jsonb_build_object('effect', CASE WHEN n % 10 = 0 THEN 'deny' ELSE 'allow' END, 'reason', 'allowed_by_list', 'ruleId', 'line-' || (n % 7),
    'action', 'helpdesk.ticket.read', 'resource', 'tickets/' || n, 'params', jsonb_build_object('fields', jsonb_build_array('subject', 'body'), 'limit', n % 50)),
  jsonb_build_object('instruction', 'Summarise the open tickets of customer ' || (n % 5000) || ' (ticket #' || n || ') before the call at 3pm.',
    'considered', jsonb_build_array('read ticket', 'ask the user'),
    'chosen', 'read ticket', 'rationale', 'The ticket holds the history the summary needs.'),
  'trace-' || (n / 5)
FROM generate_series($1::bigint, $1::bigint + $2::int - 1) AS n`;

// The oldest of the first queued events (ids follow append order here; the queue is walked by
// its key, as the sealer walks it, never a whole-table scan).
const LAG = `SELECT coalesce(extract(epoch FROM clock_timestamp() - min(e.created_at)) * 1000, 0)::float8 AS ms
FROM (SELECT event_id FROM audit_unsealed ORDER BY event_id LIMIT 100) AS q JOIN audit_event AS e ON e.id = q.event_id`;

// Seals the search index has not copied yet.
const SEARCH_LAG = `SELECT (coalesce((SELECT max(seq) FROM audit_seal), 0) - (SELECT seq FROM audit_search_progress WHERE id = 1))::int AS n`;

const fmt = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const dataDir = hasDatabaseUrl() ? null : mkdtempSync(path.join(tmpdir(), "mandate-bench-audit-"));
  const database = await resolveDatabase({ dataDir: dataDir ?? ".", log: (line) => console.log(line) });
  console.log(database.embedded ? `Embedded PostgreSQL in ${dataDir}` : "Writing into DATABASE_URL");
  const pool = new pg.Pool({ connectionString: database.url, max: 6 });
  try {
    await migrate(database.url);
    console.log(`\nAudit chain benchmark — ${cpus().length} CPU(s), Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at start`);
    const steady = await sealUnderLoad(pool);
    const bulk = await verifyRate(pool);
    return steady && bulk ? 0 : 1;
  } finally {
    await pool.end().catch(() => {});
    await database.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Phase 1: appends at RATE rows/s for SECONDS while the sealer runs; prints the lag. */
async function sealUnderLoad(pool: pg.Pool): Promise<boolean> {
  console.log(`\n1. Sealing while ${fmt(RATE)} rows/s are appended for ${SECONDS} s (sealer: default interval and batch; search indexer ${SEARCH ? "on" : "OFF"})`);
  const rounds: Array<{ rows: number; ms: number }> = [];
  const searchRounds: Array<{ rows: number; ms: number }> = [];
  const searchLags: number[] = [];
  const indexer = SEARCH
    ? startAuditSearchIndexer({
        pool,
        log: (line) => console.log(line),
        onRound: (round, ms) => {
          if (round.read > 0) searchRounds.push({ rows: round.read, ms });
        },
      })
    : null;
  const sealer = startAuditSealer({
    pool,
    log: (line) => console.log(line),
    onRound: (round, ms) => {
      if (round.sealed > 0) rounds.push({ rows: round.sealed, ms });
    },
  });
  const writer = await pool.connect();
  const lags: number[] = [];
  let appended = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lags.push((await pool.query<{ ms: number }>(LAG)).rows[0]!.ms);
      if (SEARCH) searchLags.push((await pool.query<{ n: number }>(SEARCH_LAG)).rows[0]!.n);
      await sleep(100);
    }
  })();
  const cpu0 = cpuSnapshot(process.pid);
  const started = performance.now();
  try {
    for (let elapsed = 0; elapsed < SECONDS * 1_000; elapsed = performance.now() - started) {
      const due = Math.floor((RATE * elapsed) / 1_000) - appended;
      if (due > 0) {
        await writer.query(APPEND, [appended + 1, due]);
        appended += due;
      }
      await sleep(Math.max(0, TICK_MS - (performance.now() - started - elapsed)));
    }
    const wall = (performance.now() - started) / 1_000;
    const spent = cpuSpent(cpu0, cpuSnapshot(process.pid));
    // Let the sealer finish the tail, then stop it and check the chain it built.
    for (let waited = 0; (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_unsealed")).rows[0]!.n > 0 && waited < 30; waited += 1) await sleep(200);
    for (let waited = 0; SEARCH && (await pool.query<{ n: number }>(SEARCH_LAG)).rows[0]!.n > 0 && waited < 30; waited += 1) await sleep(200);
    sampling = false;
    await sampler;
    await Promise.all([sealer.stop(), indexer?.stop()]);
    const sorted = [...lags].sort((a, b) => a - b);
    const sealed = rounds.reduce((sum, round) => sum + round.rows, 0);
    console.log(`   appended ${fmt(appended)} rows in ${wall.toFixed(1)} s = ${fmt(appended / wall)} rows/s; sealed ${fmt(sealed)} in ${fmt(rounds.length)} rounds`);
    console.log(`   rows per round: avg ${fmt(sealed / Math.max(1, rounds.length))}, max ${fmt(Math.max(0, ...rounds.map((r) => r.rows)))}; round time: avg ${fmt(rounds.reduce((s, r) => s + r.ms, 0) / Math.max(1, rounds.length), 1)} ms, max ${fmt(Math.max(0, ...rounds.map((r) => r.ms)), 1)} ms`);
    console.log(`   lag (oldest unsealed row, ${lags.length} samples): p50 ${fmt(percentile(sorted, 50))} ms, p99 ${fmt(percentile(sorted, 99))} ms, max ${fmt(sorted.at(-1) ?? 0)} ms`);
    const left = SEARCH ? (await pool.query<{ n: number }>(SEARCH_LAG)).rows[0]!.n : 0;
    if (SEARCH) {
      const read = searchRounds.reduce((sum, round) => sum + round.rows, 0);
      const behind = [...searchLags].sort((a, b) => a - b);
      console.log(
        `   search index: ${fmt(read)} seals read in ${fmt(searchRounds.length)} rounds, round time avg ${fmt(searchRounds.reduce((s, r) => s + r.ms, 0) / Math.max(1, searchRounds.length), 1)} ms, ` +
          `max ${fmt(Math.max(0, ...searchRounds.map((r) => r.ms)), 1)} ms; seals not yet indexed p50 ${fmt(percentile(behind, 50))}, p99 ${fmt(percentile(behind, 99))}; ${left === 0 ? "caught up" : `${fmt(left)} LEFT BEHIND`}`,
      );
    }
    if (spent) console.log(`   CPU busy: PostgreSQL ${(spent.postgres / wall).toFixed(2)} cores, this process (appender + sealer${SEARCH ? " + indexer" : ""}) ${(spent["load generator"] / wall).toFixed(2)} cores`);
    const check = await verifyAuditChain({ pool });
    console.log(`   chain: ${check.ok ? "valid" : "BROKEN"}, ${fmt(check.checked)} rows, ${check.checked === appended ? "every appended row sealed" : "NOT every appended row sealed"}`);
    return check.ok && check.checked === appended && left === 0;
  } finally {
    sampling = false;
    await Promise.all([sealer.stop(), indexer?.stop()]);
    writer.release();
  }
}

/** Phase 2: TOTAL rows appended in bulk, sealed as fast as one sealer goes, then verified. */
async function verifyRate(pool: pg.Pool): Promise<boolean> {
  const base = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM audit_event")).rows[0]!.n);
  console.log(`\n2. Verification over ${fmt(base + TOTAL)} sealed rows (${fmt(TOTAL)} appended in bulk)`);
  let t0 = performance.now();
  for (let done = 0; done < TOTAL; done += 50_000) await pool.query(APPEND, [base + done + 1, Math.min(50_000, TOTAL - done)]);
  console.log(`   appended in ${((performance.now() - t0) / 1_000).toFixed(1)} s`);
  await pool.query("VACUUM (ANALYZE) audit_event, audit_unsealed, audit_seal");
  t0 = performance.now();
  const client = await pool.connect();
  let sealed = 0;
  try {
    for (let round = await sealEvents(client, { batchSize: 20_000 }); round.sealed > 0; round = await sealEvents(client, { batchSize: 20_000 })) sealed += round.sealed;
  } finally {
    client.release();
  }
  const sealSeconds = (performance.now() - t0) / 1_000;
  console.log(`   sealed ${fmt(sealed)} in ${sealSeconds.toFixed(1)} s = ${fmt(sealed / sealSeconds)} rows/s (one sealer catching up, batches of 20,000)`);
  // Cleaned and flushed first, so vacuum and the checkpointer do not run (and count) during the walks.
  await pool.query("VACUUM (ANALYZE) audit_event, audit_unsealed, audit_seal");
  await pool.query("CHECKPOINT").catch(() => console.log("   (CHECKPOINT needs a superuser here; background writes may count as PostgreSQL CPU)"));
  let ok = true;
  for (const parallel of PARALLEL) {
    for (const run of [1, 2]) {
      const cpu0 = cpuSnapshot(process.pid);
      const result = await verifyAuditChain({ pool, parallel });
      const spent = cpuSpent(cpu0, cpuSnapshot(process.pid));
      ok &&= result.ok && result.checked === base + TOTAL;
      const perEvent = spent
        ? `; CPU per event: Node ${fmt((spent["load generator"] * 1e6) / result.checked, 2)} µs, PostgreSQL ${fmt((spent.postgres * 1e6) / result.checked, 2)} µs`
        : "";
      console.log(
        `   verify, ${parallel} range(s) at a time, run ${run}: ${fmt(result.checked)} events in ${(result.durationMs / 1_000).toFixed(2)} s = ` +
          `${fmt((result.checked / result.durationMs) * 1_000)} events/s${result.ok ? "" : " — BROKEN"}${perEvent}`,
      );
    }
  }
  console.log(`   load average now ${loadavg()[0]!.toFixed(1)}`);
  return ok;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
