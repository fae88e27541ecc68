// `npm run bench`: starts the built console on a free loopback port with a throwaway embedded
// database, then loads GET /api/v1/health (the data plane) and GET /api/ping (a trivial Next.js
// route handler) in turn with autocannon and prints what each sustains. See bench/README.md.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { HOST, ROOT, exitedEarly, freePort, sleep, startConsole, stopConsole, type Console } from "./support/console";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = 50;
const READY_TIMEOUT_MS = 180_000;

const TARGETS = [
  { label: "data plane  GET /api/v1/health", path: "/api/v1/health" },
  { label: "Next.js     GET /api/ping", path: "/api/ping" },
] as const;

async function main(): Promise<number> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.error("bench: no production build found; run `npm run build` first.");
    return 1;
  }
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "mandate-bench-"));
  // Under root the embedded PostgreSQL runs as a "postgres" user, which must be able to enter it.
  const base = `http://${HOST}:${port}`;
  console.log(`Starting Mandate on ${base} (embedded PostgreSQL in ${dataDir}) …`);
  const child = startConsole(port, dataDir, { demo: false });
  try {
    await waitUntilHealthy(base, child);
    const results: Result[] = [];
    for (const target of TARGETS) {
      console.log(`Loading ${target.path}: ${WARMUP_S} s warm-up, then ${DURATION_S} s at ${CONNECTIONS} connections …`);
      results.push(
        await autocannon({
          url: base + target.path,
          connections: CONNECTIONS,
          duration: DURATION_S,
          timeout: 10,
          warmup: { connections: CONNECTIONS, duration: WARMUP_S },
        }),
      );
    }
    printTable(results);
    return results.some((result) => result.errors + result.timeouts + result.non2xx > 0) ? 1 : 0;
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    const output = child.output.join("").trim();
    if (output) console.error(`--- console output ---\n${output.slice(-4_000)}`);
    return 1;
  } finally {
    await stopConsole(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}


async function waitUntilHealthy(base: string, child: Console): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitedEarly(child)) throw new Error(`the console exited early (${child.exitCode ?? child.signalCode}).`);
    const status = await fetch(`${base}/api/v1/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(250);
  }
  throw new Error(`/api/v1/health did not answer 200 within ${READY_TIMEOUT_MS / 1000} s.`);
}


function printTable(results: readonly Result[]): void {
  const rows = results.map((result, index) => [
    TARGETS[index]!.label,
    Math.round(result.requests.average).toLocaleString("en-US"),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    `${result.errors + result.timeouts} / ${result.non2xx}`,
  ]);
  const header = ["route", "req/s", "p50 ms", "p99 ms", "errors / non-2xx"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s each, ${cpus().length} CPU(s), Node ${process.version}\n`);
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));
  const [dataPlane, nextJs] = results;
  if (dataPlane && nextJs && nextJs.requests.average > 0) {
    console.log(`\ndata plane / Next.js: ${(dataPlane.requests.average / nextJs.requests.average).toFixed(1)}×`);
  }
}



process.exitCode = await main();
