// The console as a benchmark's child process: the real `scripts/start.ts` on a free loopback port
// with a throwaway embedded PostgreSQL (or DATABASE_URL), stopped with SIGTERM at the end.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const HOST = "127.0.0.1";
const STOP_TIMEOUT_MS = 20_000;

export type Console = ChildProcess & { output: string[] };

export function startConsole(port: number, dataDir: string, options: { demo: boolean; keepLines?: number }): Console {
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  // BENCH_CONSOLE_NODE_FLAGS passes Node flags to the console only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // (Node refuses --cpu-prof in NODE_OPTIONS, and the load generator should not be profiled anyway).
  const nodeFlags = (process.env.BENCH_CONSOLE_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(tsx, [...nodeFlags, "--tsconfig", "tsconfig.node.json", "scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST, MANDATE_DATA_DIR: dataDir, MANDATE_DEMO: options.demo ? "1" : "0", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a console that ignores SIGTERM can still be stopped with its children.
    detached: true,
  }) as Console;
  child.output = [];
  const keep = (chunk: Buffer) => {
    child.output.push(chunk.toString());
    if (child.output.length > (options.keepLines ?? 200)) child.output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

export function exitedEarly(child: Console): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function stopConsole(child: Console): Promise<void> {
  if (exitedEarly(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
  if (timedOut) {
    console.error("bench: the console did not stop within 20 s; killing its process group.");
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
