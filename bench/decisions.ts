// `npm run bench:decisions`: starts the built console with the demo seeded on a throwaway embedded
// database, then loads POST /api/v1/decisions with a demo agent's key and a realistic body at 1,
// 16, 64 and 256 connections — every answer an allow committed with its reasoning and audit row —
// and, in the same run, GET /api/v1/health and the Next.js GET /api/ping at 64. See bench/README.md.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { HOST, ROOT, exitedEarly, freePort, sleep, startConsole, stopConsole, type Console } from "./support/console";
import { cpuSnapshot, cpuSpent, type CpuGroup } from "./support/cpu-account";

declare module "autocannon" {
  interface Options {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    verifyBody?: (body: string) => boolean;
  }
  interface Result {
    mismatches: number;
  }
}

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "1,16,64,256").split(",").map(Number);
const COMPARE_AT = 64;
const AGENT = process.env.BENCH_AGENT ?? "support-triage";
const READY_TIMEOUT_MS = 240_000;
const KEY_LINE = /^\s+([a-z0-9-]+)\s+(mnd_[0-9A-Za-z]{12}_[A-Za-z0-9_-]{43})\s*$/gm;

const DECISION = JSON.stringify({
  action: "helpdesk.ticket.read",
  resource: "tickets/48213",
  params: { fields: ["subject", "body", "customer", "priority"], includeHistory: true },
  reasoning: {
    instruction: "Triage the new ticket 48213 from acme.io: set labels, priority and the queue.",
    considered: ["read the ticket", "ask the customer for details", "escalate straight away"],
    chosen: "read the ticket",
    rationale: "The ticket text decides the labels and the queue; nothing is known about it yet.",
  },
  traceId: "triage-48213",
  onBehalfOf: "support-queue",
});

interface Target {
  label: string;
  path: string;
  connections: number;
  decision?: boolean;
}

async function main(): Promise<number> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.error("bench: no production build found; run `npm run build` first.");
    return 1;
  }
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "mandate-bench-decisions-"));
  const base = `http://${HOST}:${port}`;
  console.log(`Starting Mandate on ${base} with the demo (embedded PostgreSQL in ${dataDir}) …`);
  const child = startConsole(port, dataDir, { demo: true, keepLines: 400 });
  try {
    const key = await waitForKey(base, child);
    const probe = await fetch(`${base}/api/v1/decisions`, { method: "POST", headers: headersFor(key), body: DECISION });
    const answer = (await probe.json()) as { effect?: string; reason?: string };
    if (probe.status !== 200 || answer.effect !== "allow") throw new Error(`the probe decision was ${probe.status} ${JSON.stringify(answer)}, not an allow.`);
    console.log(`Agent ${AGENT}: helpdesk.ticket.read → ${answer.effect} (${answer.reason}).`);

    const targets: Target[] = [
      ...CONNECTIONS.map((connections) => ({ label: "POST /api/v1/decisions", path: "/api/v1/decisions", connections, decision: true })),
      // BENCH_COMPARE=0 skips the two baselines (when profiling the decision path alone).
      ...(process.env.BENCH_COMPARE === "0"
        ? []
        : [
            { label: "GET /api/v1/health", path: "/api/v1/health", connections: COMPARE_AT },
            { label: "Next.js GET /api/ping", path: "/api/ping", connections: COMPARE_AT },
          ]),
    ];
    const results: Result[] = [];
    const spent: Array<Record<CpuGroup, number> | null> = [];
    for (const target of targets) {
      console.log(`${target.label} at ${target.connections}: ${WARMUP_S} s warm-up, ${DURATION_S} s of load …`);
      await load(base, target, key, WARMUP_S);
      const before = cpuSnapshot(child.pid);
      results.push(await load(base, target, key, DURATION_S));
      spent.push(cpuSpent(before, cpuSnapshot(child.pid)));
    }
    printTable(targets, results);
    printCpu(targets, results, spent);
    return results.some((result) => result.errors + result.timeouts + result.non2xx + (result.mismatches ?? 0) > 0) ? 1 : 0;
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    const output = child.output.join("").trim();
    if (output) console.error(`--- console output ---\n${output.replace(KEY_LINE, "  $1 <key>").slice(-4_000)}`);
    return 1;
  } finally {
    await stopConsole(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function headersFor(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, "content-type": "application/json", "user-agent": "mandate-bench" };
}

function load(base: string, target: Target, key: string, seconds: number): Promise<Result> {
  const decision = target.decision
    ? { method: "POST", body: DECISION, headers: headersFor(key), verifyBody: (body: string) => body.includes('"effect":"allow"') }
    : {};
  return autocannon({
    url: base + target.path,
    connections: target.connections,
    duration: seconds,
    timeout: 10,
    ...decision,
  });
}


/** Waits for the console to answer and to have printed the demo's agent keys; returns the bench agent's. */
async function waitForKey(base: string, child: Console): Promise<string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitedEarly(child)) throw new Error(`the console exited early (${child.exitCode ?? child.signalCode}).`);
    const healthy = await fetch(`${base}/api/v1/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    const key = [...child.output.join("").matchAll(KEY_LINE)].find((match) => match[1] === AGENT)?.[2];
    if (healthy && key) return key;
    await sleep(250);
  }
  throw new Error(`no healthy console with a demo key for ${AGENT} within ${READY_TIMEOUT_MS / 1000} s (is DATABASE_URL set to a database that already has people?).`);
}


function printTable(targets: readonly Target[], results: readonly Result[]): void {
  const rows = results.map((result, index) => [
    targets[index]!.label,
    String(targets[index]!.connections),
    Math.round(result.requests.average).toLocaleString("en-US"),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    `${result.errors + result.timeouts} / ${result.non2xx} / ${result.mismatches ?? 0}`,
  ]);
  const header = ["route", "conns", "req/s", "p50 ms", "p99 ms", "errors / non-2xx / not allow"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  const load = loadavg().map((value) => value.toFixed(1)).join(" ");
  console.log(`\n${DURATION_S} s per row, ${cpus().length} CPU(s), Node ${process.version}, load average at the end ${load}\n`);
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));

  const at = (label: string) => results[targets.findIndex((target) => target.label === label && target.connections === COMPARE_AT)];
  const decisions = at("POST /api/v1/decisions");
  const nextJs = at("Next.js GET /api/ping");
  if (!decisions || !nextJs || nextJs.requests.average === 0) return;
  const ratio = decisions.requests.average / nextJs.requests.average;
  console.log(`\nAt ${COMPARE_AT} connections: audited decisions / Next.js route handler = ${ratio.toFixed(1)}×`);
  const checks = [
    [`≥ 8,000 audited decisions/s`, decisions.requests.average >= 8_000],
    [`p99 < 15 ms`, decisions.latency.p99 < 15],
    [`≥ 8× Next.js`, ratio >= 8],
  ] as const;
  console.log(`Targets at ${COMPARE_AT} connections: ${checks.map(([name, met]) => `${name} ${met ? "met" : "MISSED"}`).join("; ")}`);
}

/**
 * Where each request's CPU went, per row: the console (HTTP, engine, writer), PostgreSQL, the load
 * generator (this process) and everything else on the machine. The sum against the cores
 * available is the throughput ceiling of a one-machine run.
 */
function printCpu(targets: readonly Target[], results: readonly Result[], spent: ReadonlyArray<Record<CpuGroup, number> | null>): void {
  if (spent.every((row) => row === null)) return;
  const groups: CpuGroup[] = ["console", "postgres", "load generator", "other"];
  const header = ["route", "conns", ...groups.map((group) => `${group} µs`), "total µs", "cores busy"];
  const rows = targets.map((target, index) => {
    const cpu = spent[index];
    const requests = results[index]!.requests.total;
    if (!cpu || requests === 0) return [target.label, String(target.connections), ...groups.map(() => "–"), "–", "–"];
    const perRequest = (seconds: number) => Math.round((seconds * 1e6) / requests).toLocaleString("en-US");
    const total = groups.reduce((sum, group) => sum + cpu[group], 0);
    return [target.label, String(target.connections), ...groups.map((group) => perRequest(cpu[group])), perRequest(total), (total / DURATION_S).toFixed(2)];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  console.log(`\nCPU time per request (user + system, from /proc) while each row ran, on ${cpus().length} core(s):\n`);
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));
}

process.exitCode = await main();
