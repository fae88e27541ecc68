// `npm test`: every tier in order — lint, typecheck, unit, integration (real PostgreSQL),
// build, end-to-end (Chromium) — then one summary line. Uses DATABASE_URL's server when set
// (each test file makes its own database there), otherwise a throwaway embedded PostgreSQL.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveDatabase } from "@/lib/db/embedded";
import { describeStartupError } from "@/scripts/startup-errors";
import { playwrightFailures, tapFailures, vitestFailures } from "@/scripts/test-failures";

interface Tier {
  name: string;
  ok: boolean;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  note?: string;
  failures?: string[];
}

const reports = path.resolve(".mandate/test-reports");
const tiers: Tier[] = [];
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function tier(name: string, body: () => Promise<Omit<Tier, "name" | "seconds">>): Promise<boolean> {
  if (!wanted(name)) return true;
  console.log(`\n── ${name} ${"─".repeat(Math.max(0, 60 - name.length))}`);
  const started = Date.now();
  const result = await body();
  tiers.push({ name, seconds: (Date.now() - started) / 1000, ...result });
  return result.ok;
}

const check = (code: number) => ({ ok: code === 0, passed: 0, failed: code === 0 ? 0 : 1, skipped: 0 });

function vitestCounts(file: string, code: number) {
  if (!existsSync(file)) return { ok: false, passed: 0, failed: 1, skipped: 0, note: "no report" };
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  const skipped = report.numPendingTests + report.numTodoTests;
  return { ok: code === 0 && report.numFailedTests === 0 && skipped === 0, passed: report.numPassedTests, failed: report.numFailedTests, skipped, failures: vitestFailures(file) };
}

function tapCounts(file: string, code: number) {
  if (!existsSync(file)) return { ok: false, passed: 0, failed: 1, skipped: 0, note: "no report" };
  const tap = readFileSync(file, "utf8");
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  const [passed, failed, skipped] = [count("pass"), count("fail"), count("skipped") + count("todo")];
  return { ok: code === 0 && failed === 0 && skipped === 0 && passed > 0, passed, failed, skipped, failures: tapFailures(file) };
}

function playwrightCounts(file: string, code: number) {
  if (!existsSync(file)) return { ok: false, passed: 0, failed: 1, skipped: 0, note: "no report" };
  const { stats } = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  const failed = stats.unexpected + stats.flaky;
  return { ok: code === 0 && failed === 0 && stats.skipped === 0, passed: stats.expected, failed, skipped: stats.skipped, failures: playwrightFailures(file) };
}

async function main() {
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });

  await tier("generate", async () => check(await run("node", ["scripts/prisma-generate.mjs"])));
  await tier("lint", async () => check(await run("npx", ["eslint", ".", "--max-warnings", "0"])));
  await tier("typecheck", async () => check(await run("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"])));
  await tier("unit", async () => {
    const out = path.join(reports, "unit.json");
    const code = await run("npx", ["vitest", "run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
    return vitestCounts(out, code);
  });

  await tier("sdk", async () => {
    const out = path.join(reports, "sdk.tap");
    const files = readdirSync("sdk/test").filter((name) => name.endsWith(".test.ts")).map((name) => path.join("sdk/test", name));
    const code = await run("npx", ["tsc", "--noEmit", "-p", "sdk"]).then((typed) =>
      typed !== 0 ? typed : run("node", ["--import", "tsx", "--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${out}`, ...files]),
    );
    return tapCounts(out, code);
  });

  // One PostgreSQL server for the integration and end-to-end tiers.
  const scratch = process.env.DATABASE_URL === undefined ? mkdtempSync(path.join(tmpdir(), "mandate-test-")) : undefined;
  const database = await resolveDatabase({ dataDir: scratch ?? ".mandate", log: (line) => console.log(line) });
  console.log(database.embedded ? `\nTest database server: embedded PostgreSQL (${scratch})` : "\nTest database server: DATABASE_URL");
  const dbEnv = { TEST_ADMIN_DATABASE_URL: database.url, E2E_ADMIN_DATABASE_URL: database.url };

  try {
    await tier("integration", async () => {
      const out = path.join(reports, "integration.json");
      const code = await run("npx", ["vitest", "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], dbEnv);
      return vitestCounts(out, code);
    });
    const built = await tier("build", async () => check(await run("npx", ["next", "build"], { NEXT_TELEMETRY_DISABLED: "1" })));
    await tier("e2e", async () => {
      if (!built) return { ok: false, passed: 0, failed: 1, skipped: 0, note: "not run: the build failed" };
      const out = path.join(reports, "e2e.json");
      const code = await run("npx", ["playwright", "test"], { ...dbEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: out });
      return playwrightCounts(out, code);
    });
  } finally {
    await database.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }

  const passed = tiers.reduce((sum, t) => sum + t.passed, 0);
  const failed = tiers.reduce((sum, t) => sum + t.failed, 0);
  const skipped = tiers.reduce((sum, t) => sum + t.skipped, 0);
  console.log("\n  tier          result   passed  failed  skipped   time");
  for (const t of tiers) {
    const counts = t.passed + t.failed > 0 && t.name !== "lint" && t.name !== "typecheck" && t.name !== "generate" && t.name !== "build";
    console.log(
      `  ${t.name.padEnd(14)}${(t.ok ? "ok" : "FAILED").padEnd(9)}${(counts ? String(t.passed) : "-").padStart(6)}${String(counts ? t.failed : "-").padStart(8)}${String(counts ? t.skipped : "-").padStart(9)}${`${t.seconds.toFixed(0)} s`.padStart(7)}${t.note ? `  (${t.note})` : ""}`,
    );
  }
  const failures = tiers.flatMap((t) => (t.failures ?? []).map((name) => `  ${t.name}: ${name}`));
  if (failures.length > 0) console.log(`\n  failed tests\n${failures.join("\n")}`);
  const ok = tiers.every((t) => t.ok);
  console.log(`\n${ok ? "PASS" : "FAIL"}: every tier ${ok ? "passed" : "did not pass"}`);
  console.log(`summary: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  console.log("summary: 0 passed, 1 failed");
  process.exit(1);
});
