// `npm run bench:writer`: the group-commit decision writer alone (no HTTP). Enqueues decisions
// with realistic reasoning from 1, 16, 64 and 256 concurrent producers and prints decisions per
// second and enqueue→commit latency, every decision committed with its audit row. Uses
// DATABASE_URL when set (it writes into that database), otherwise a throwaway embedded PostgreSQL.
// While the 64-producer run is under way it also kills one agent (lock, then an UPDATE of its row,
// as the kill switch does) and reports how long that took and whether any decision for that agent
// enqueued after the kill was answered came back allowed. See bench/README.md.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { hasDatabaseUrl } from "@/lib/config/env";
import { resolveDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import type { DecisionEntry } from "@/lib/decisions/decision-entry";
import { newDecisionId } from "@/lib/decisions/decision-id";
import { createDecisionWriter, createWriterPool } from "@/lib/decisions/group-commit";
import { lockDecisionState } from "@/lib/decisions/lock-decision-state";

const TOTAL = Number(process.env.BENCH_WRITER_N ?? 50_000);
const MAX_SECONDS = Number(process.env.BENCH_WRITER_SECONDS ?? 20);
const PRODUCERS = (process.env.BENCH_WRITER_C ?? "1,16,64,256").split(",").map(Number);
const FLUSHES = Number(process.env.BENCH_WRITER_FLUSHES ?? 2);
const AGENTS = 16;
const KILL_AT_PRODUCERS = 64;

interface Run {
  producers: number;
  decisions: number;
  seconds: number;
  p50: number;
  p99: number;
  flushes: number;
  largestBatch: number;
}

interface Agent {
  id: string;
  stateVersion: number;
}

async function main(): Promise<number> {
  const dataDir = hasDatabaseUrl() ? null : mkdtempSync(path.join(tmpdir(), "mandate-bench-writer-"));
  const database = await resolveDatabase({ dataDir: dataDir ?? ".", log: (line) => console.log(line) });
  console.log(database.embedded ? `Embedded PostgreSQL in ${dataDir}` : "Writing into DATABASE_URL");
  const admin = new pg.Client({ connectionString: database.url });
  try {
    await migrate(database.url);
    await admin.connect();
    const agents = await seed(admin);
    const before = await counts(admin);
    const runs: Run[] = [];
    await measure(database.url, agents, 16, 2_000); // warm-up: connections, plans, caches
    let kill: { waitedMs: number; after: number; lateAllows: number } | null = null;
    for (const producers of PRODUCERS) {
      console.log(`${producers} producer(s) …`);
      const killTarget = producers === KILL_AT_PRODUCERS ? agents[0]! : null;
      const result = await measure(database.url, agents, producers, TOTAL, killTarget);
      runs.push(result.run);
      if (result.kill) kill = result.kill;
      // Fewer committed-but-dead rows to step over in the next run's index pages.
      await admin.query("VACUUM (ANALYZE) decision, audit_event");
    }
    const after = await counts(admin);
    printTable(runs);
    const written = runs.reduce((sum, run) => sum + run.decisions, 0) + 2_000;
    console.log(
      `\nRows added: ${(after.decisions - before.decisions).toLocaleString("en-US")} decisions, ` +
        `${(after.audits - before.audits).toLocaleString("en-US")} decision.made audit rows (committed answers: ${written.toLocaleString("en-US")}).`,
    );
    if (kill) {
      console.log(
        `Kill under ${KILL_AT_PRODUCERS}-producer load: the kill transaction took ${kill.waitedMs.toFixed(1)} ms; of ${kill.after} decisions for that agent ` +
          `enqueued after it was answered (on a stale snapshot), ${kill.lateAllows} were allowed.`,
      );
    }
    const consistent = after.decisions - before.decisions === written && after.audits - before.audits === written;
    if (!consistent) console.error("bench: the row counts do not match the committed answers.");
    return consistent && (kill?.lateAllows ?? 0) === 0 ? 0 : 1;
  } finally {
    await admin.end().catch(() => {});
    await database.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function seed(client: pg.Client): Promise<Agent[]> {
  const person = await client.query<{ id: string }>(
    `INSERT INTO person (email, name, updated_at) VALUES ($1, 'Bench Owner', now()) RETURNING id`,
    [`bench-${randomUUID()}@example.invalid`],
  );
  const agents: Agent[] = [];
  for (let i = 0; i < AGENTS; i += 1) {
    const row = await client.query<{ id: string; state_version: number }>(
      `INSERT INTO agent (slug, name, purpose, status, maturity, deployed_by_id, updated_at)
       VALUES ($1, $2, 'benchmark', 'active', 'principal', $3, now()) RETURNING id, state_version`,
      [`bench-${randomUUID().slice(0, 8)}`, `Bench agent ${i}`, person.rows[0]!.id],
    );
    agents.push({ id: row.rows[0]!.id, stateVersion: row.rows[0]!.state_version });
  }
  return agents;
}

async function counts(client: pg.Client): Promise<{ decisions: number; audits: number }> {
  const result = await client.query<{ decisions: string; audits: string }>(
    `SELECT (SELECT count(*) FROM decision) AS decisions, (SELECT count(*) FROM audit_event WHERE type = 'decision.made') AS audits`,
  );
  return { decisions: Number(result.rows[0]!.decisions), audits: Number(result.rows[0]!.audits) };
}

async function fleetVersion(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ version: number }>("SELECT version FROM fleet_state WHERE id = 1")).rows[0]!.version;
  } finally {
    await client.end();
  }
}

async function measure(url: string, agents: Agent[], producers: number, total: number, killTarget: Agent | null = null) {
  const fleet = await fleetVersion(url);
  const writer = createDecisionWriter({ pool: createWriterPool(url, FLUSHES), ownsPool: true, maxInFlight: FLUSHES });
  const latencies: number[] = [];
  // Decisions for the agent being killed: when each was enqueued and what was committed.
  const targeted: Array<{ enqueuedAt: number; effect: string }> = [];
  let issued = 0;
  const started = performance.now();
  const deadline = started + MAX_SECONDS * 1_000;
  const produce = async () => {
    while (issued < total && performance.now() < deadline) {
      issued += 1;
      const agent = agents[issued % agents.length]!;
      const t0 = performance.now();
      // The snapshot is never refreshed here: the worst case of a cache that has not heard of the kill.
      const written = await writer.enqueue(entry(agent, fleet, issued));
      latencies.push(performance.now() - t0);
      if (agent === killTarget) targeted.push({ enqueuedAt: t0, effect: written.effect });
    }
  };
  const killing: Promise<Awaited<ReturnType<typeof killUnderLoad>> | null> = killTarget ? killUnderLoad(url, killTarget) : Promise.resolve(null);
  await Promise.all(Array.from({ length: producers }, produce));
  const seconds = (performance.now() - started) / 1_000;
  const killed = await killing;
  const stats = writer.stats();
  await writer.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  // Between the kill's answer and the revive (after which allows are right again).
  const killedWindow = (at: number) => killed !== null && at > killed.answeredAt && at < killed.reviveSentAt;
  const kill = killed && {
    waitedMs: killed.waitedMs,
    after: targeted.filter((decision) => killedWindow(decision.enqueuedAt)).length,
    lateAllows: targeted.filter((decision) => killedWindow(decision.enqueuedAt) && decision.effect === "allow").length,
  };
  return {
    run: { producers, decisions: latencies.length, seconds, p50: at(0.5), p99: at(0.99), flushes: stats.flushes, largestBatch: stats.largestBatch },
    kill,
  };
}

/**
 * Kills one agent the way the kill switch will (an UPDATE that bumps state_version, answered after
 * COMMIT) while the writer is loaded, then revives it for the next run.
 */
async function killUnderLoad(url: string, agent: Agent): Promise<{ waitedMs: number; answeredAt: number; reviveSentAt: number }> {
  await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, (MAX_SECONDS * 1_000) / 4)));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query("BEGIN");
    await lockDecisionState(client, { agentIds: [agent.id] });
    await client.query(`UPDATE agent SET status = 'killed', state_version = state_version + 1, state_changed_at = now() WHERE id = $1`, [agent.id]);
    await client.query("COMMIT");
    const answeredAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reviveSentAt = performance.now();
    const revived = await client.query<{ state_version: number }>(
      `UPDATE agent SET status = 'active', state_version = state_version + 1, state_changed_at = now() WHERE id = $1 RETURNING state_version`,
      [agent.id],
    );
    agent.stateVersion = revived.rows[0]!.state_version;
    return { waitedMs: answeredAt - t0, answeredAt, reviveSentAt };
  } finally {
    await client.end();
  }
}

function entry(agent: Agent, fleetVersion: number, n: number): DecisionEntry {
  const roll = n % 20;
  const effect = roll === 0 ? "pending" : roll < 3 ? "deny" : "allow";
  return {
    decision: {
      id: newDecisionId(),
      agentId: agent.id,
      credentialId: null,
      action: "invoice.pay",
      resource: `invoices/${n}`,
      params: { amount: (n % 900) + 100, currency: "EUR", to: "ACME GmbH", memo: "monthly hosting" },
      instruction: "Pay the supplier invoices that are due this week and flag anything unusual to finance.",
      considered: ["pay now", "wait for the due date", "ask finance"],
      chosen: "pay now",
      rationale: "The invoice is due in two days, matches the purchase order and is under the usual amount.",
      traceId: `trace-${n % 1_000}`,
      effect,
      reason: effect === "deny" ? "not_on_list" : effect === "pending" ? "requires_approval" : "allowed_by_list",
      ruleId: effect === "deny" ? null : randomUUID(),
      latencyMicros: 35,
      createdAt: new Date(),
    },
    audit: { requestId: `req-${n}`, ip: "127.0.0.1", userAgent: "mandate-bench/1" },
    snapshot: { agentStateVersion: agent.stateVersion, fleetVersion },
    checkpoint:
      effect === "pending"
        ? { id: newDecisionId(), digest: "0".repeat(64), requiredApprovals: 1, expiresAt: new Date(Date.now() + 15 * 60_000) }
        : null,
  };
}

function printTable(runs: readonly Run[]): void {
  const rows = runs.map((run) => [
    String(run.producers),
    run.decisions.toLocaleString("en-US"),
    run.seconds.toFixed(1),
    Math.round(run.decisions / run.seconds).toLocaleString("en-US"),
    run.p50.toFixed(2),
    run.p99.toFixed(2),
    run.flushes.toLocaleString("en-US"),
    (run.decisions / Math.max(1, run.flushes)).toFixed(1),
    String(run.largestBatch),
  ]);
  const header = ["producers", "decisions", "s", "decisions/s", "p50 ms", "p99 ms", "commits", "avg batch", "max batch"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join("  ");
  console.log(`\nGroup-commit writer (${FLUSHES} flushes in flight), ${cpus().length} CPU(s), Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`(up to ${TOTAL.toLocaleString("en-US")} decisions or ${MAX_SECONDS} s per row; each decision + its audit row committed)\n`);
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
