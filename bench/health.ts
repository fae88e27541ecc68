// `npm run bench`: starts the built console on a free loopback port with a throwaway embedded
// database, then loads GET /api/v1/health (the data plane) and GET /api/ping (a trivial Next.js
// route handler) in turn with autocannon and prints what each sustains. See bench/README.md.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Result } from "autocannon";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const HOST = "127.0.0.1";
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = 50;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;

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
  const child = startConsole(port, dataDir);
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

type Console = ChildProcess & { output: string[] };

function startConsole(port: number, dataDir: string): Console {
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, ["--tsconfig", "tsconfig.node.json", "scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST, MANDATE_DATA_DIR: dataDir, MANDATE_DEMO: "0", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a console that ignores SIGTERM can still be stopped with its children.
    detached: true,
  }) as Console;
  child.output = [];
  const keep = (chunk: Buffer) => {
    child.output.push(chunk.toString());
    if (child.output.length > 200) child.output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

async function waitUntilHealthy(base: string, child: Console): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the console exited early (${child.exitCode ?? child.signalCode}).`);
    const status = await fetch(`${base}/api/v1/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(250);
  }
  throw new Error(`/api/v1/health did not answer 200 within ${READY_TIMEOUT_MS / 1000} s.`);
}

async function stopConsole(child: Console): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
  if (timedOut) {
    console.error("bench: the console did not stop within 20 s; killing its process group.");
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

process.exitCode = await main();
