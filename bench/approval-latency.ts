// `npm run bench:approvals`: how long from an approver's decision to the waiting agent's answer,
// across two instances on one database. This process is instance A, the console: it calls
// decideCheckpoint, the use case behind the inbox's approve button. Instance B is a second process
// serving the agent API (by default the data plane alone, as a scaled-out deployment runs it;
// BENCH_SECOND=console starts the whole console with scripts/start.ts, which needs `npm run
// build`). For each checkpoint an agent asks B (POST /decisions → pending), long-polls
// GET /checkpoints/:id?wait=30 on B, and A approves; the latency is approve-call → B's answer, both
// timed here. Uses DATABASE_URL when set (it writes into it), else a throwaway embedded
// PostgreSQL. See bench/README.md.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { HOST, ROOT, freePort, sleep, startConsole, stopConsole, type Console } from "./support/console";

const SAMPLES = Number(process.env.BENCH_APPROVALS_N ?? 300);
const WARMUP = 20;
const PARALLEL = Number(process.env.BENCH_APPROVALS_PARALLEL ?? 50);
const TARGET_P99_MS = 300;
const ACTION = "bench.payment.send";

type Second = { kind: "console"; child: Console } | { kind: "plane"; child: ChildProcess };

interface Sample {
  total: number;
  decide: number;
}

if (process.env.BENCH_APPROVALS_ROLE === "instance") await serveDataPlane();
else process.exitCode = await main();

/** Instance B in data-plane mode: the agent API alone, its own pool, writer, caches and LISTEN. */
async function serveDataPlane(): Promise<void> {
  const { buildAgentDataPlane } = await import("@/lib/http/dataplane/agent-data-plane");
  const app = buildAgentDataPlane({ logger: false });
  await app.listen({ port: Number(process.env.PORT), host: HOST });
  console.log("READY");
  process.once("SIGTERM", () => {
    void (async () => {
      await app.close();
      const [{ closeDecisionWriter }, { closePool }, { closeNotify }] = await Promise.all([
        import("@/lib/decisions/group-commit"),
        import("@/lib/db/pool"),
        import("@/lib/db/notify"),
      ]);
      await closeDecisionWriter();
      await Promise.allSettled([closePool(), closeNotify()]);
      process.exit(0);
    })();
  });
}

async function main(): Promise<number> {
  const { hasDatabaseUrl } = await import("@/lib/config/env");
  const { resolveDatabase } = await import("@/lib/db/embedded");
  const scratch = mkdtempSync(path.join(tmpdir(), "mandate-bench-approvals-"));
  const database = await resolveDatabase({ dataDir: scratch, log: (line) => console.log(line) });
  console.log(hasDatabaseUrl() ? "Writing into DATABASE_URL" : `Embedded PostgreSQL in ${scratch}`);
  process.env.DATABASE_URL = database.url;
  const whole = process.env.BENCH_SECOND === "console";
  let second: Second | null = null;
  try {
    const { migrate } = await import("@/lib/db/migrate");
    await migrate(database.url);
    const org = await seed();
    const port = await freePort();
    second = whole ? { kind: "console", child: startConsole(port, path.join(scratch, "console"), { demo: false }) } : { kind: "plane", child: startDataPlane(port) };
    const base = `http://${HOST}:${port}/api/v1`;
    await waitHealthy(base, second.child);
    console.log(`Instance B (${whole ? "the whole console" : "the data plane alone"}) at ${base}; instance A is this process.`);

    const agent = { base, key: org.key };
    await measure(agent, org.approver, WARMUP, 1);
    const sequential = await measure(agent, org.approver, SAMPLES, 1);
    const parallel = await measure(agent, org.approver, SAMPLES, PARALLEL);
    print([
      [`1 agent waiting at a time`, sequential],
      [`${PARALLEL} agents waiting at once`, parallel],
    ]);
    const p99 = Math.max(quantile(sequential.map((s) => s.total), 0.99), quantile(parallel.map((s) => s.total), 0.99));
    console.log(`\nTarget: p99 < ${TARGET_P99_MS} ms from the approval to the agent's answer on the other instance — ${p99 < TARGET_P99_MS ? "met" : "MISSED"}.`);
    return 0;
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    if (second?.kind === "console") console.error(second.child.output.join("").slice(-2_000));
    return 1;
  } finally {
    if (second?.kind === "console") await stopConsole(second.child);
    else if (second) await stopChild(second.child);
    const [{ closeDb }, { closePool }, { closeNotify }] = await Promise.all([import("@/lib/db/client"), import("@/lib/db/pool"), import("@/lib/db/notify")]);
    await Promise.allSettled([closeDb(), closePool(), closeNotify()]);
    await database.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** An owner, an approver who owns nothing, and an active agent whose list sends ACTION to people. */
async function seed() {
  const { db } = await import("@/lib/db/client");
  const { createCredential } = await import("@/lib/credentials/create-credential");
  const tag = randomUUID().slice(0, 8);
  const owner = await db().person.create({ data: { email: `bench-owner-${tag}@example.invalid`, name: "Bench Owner", roles: ["admin"] } });
  const approver = await db().person.create({ data: { email: `bench-approver-${tag}@example.invalid`, name: "Bench Approver", roles: ["approver"] }, select: { id: true, roles: true } });
  const system = await db().system.upsert({ where: { key: "bench" }, create: { key: "bench", name: "Bench" }, update: {} });
  const action = await db().action.upsert({
    where: { key: ACTION },
    create: { systemId: system.id, key: ACTION, name: "Send payment", category: "financial", risk: "high" },
    update: {},
  });
  const agent = await db().agent.create({
    data: {
      slug: `bench-approvals-${tag}`,
      name: "Bench approvals agent",
      purpose: "Benchmark",
      status: "active",
      maturity: "principal",
      deployedById: owner.id,
      owners: { create: [{ personId: owner.id }] },
      permissions: { create: [{ actionId: action.id, effect: "require_approval", justification: "Every payment is approved by a person." }] },
    },
  });
  const actor = { type: "person" as const, personId: owner.id, via: "cli" as const };
  const { key } = await db().$transaction((tx) => createCredential(tx, actor, { agentId: agent.id, label: "bench" }));
  return { key, approver };
}

async function measure(agent: { base: string; key: string }, approver: { id: string; roles: ("admin" | "approver" | "auditor")[] }, total: number, parallel: number): Promise<Sample[]> {
  const { decideCheckpoint } = await import("@/lib/approvals/decide-checkpoint");
  const actor = { type: "person" as const, personId: approver.id, via: "console" as const };
  const samples: Sample[] = [];
  for (let done = 0; done < total; done += parallel) {
    const batch = Math.min(parallel, total - done);
    const pending = await Promise.all(Array.from({ length: batch }, () => ask(agent)));
    const answers = pending.map((checkpointId) => waitFor(agent, checkpointId));
    // Handled here so an early failure is not an unhandled rejection; it still fails the batch below.
    for (const answer of answers) answer.catch(() => {});
    // Let every long-poll reach B and register its waiter before anyone decides.
    await sleep(parallel > 1 ? 200 : 30);
    const decided: Array<Promise<Sample>> = [];
    for (const [index, checkpointId] of pending.entries()) {
      const started = performance.now();
      await decideCheckpoint(approver, actor, { checkpointId, verdict: "approve" });
      const decide = performance.now() - started;
      decided.push(answers[index]!.then((answeredAt) => ({ total: answeredAt - started, decide })));
    }
    samples.push(...(await Promise.all(decided)));
  }
  return samples;
}

async function ask(agent: { base: string; key: string }): Promise<string> {
  const response = await fetch(`${agent.base}/decisions`, {
    method: "POST",
    headers: { authorization: `Bearer ${agent.key}`, "content-type": "application/json" },
    body: JSON.stringify({ action: ACTION, resource: "payments/42", params: { amount: 1200, currency: "EUR" }, reasoning: { instruction: "Pay invoice 42." } }),
  });
  const body = (await response.json()) as { effect?: string; checkpointId?: string };
  if (response.status !== 200 || body.effect !== "pending" || !body.checkpointId) throw new Error(`expected a pending decision, got ${response.status} ${JSON.stringify(body)}`);
  return body.checkpointId;
}

/** Resolves with the time the approved answer arrived. */
async function waitFor(agent: { base: string; key: string }, checkpointId: string): Promise<number> {
  const response = await fetch(`${agent.base}/checkpoints/${checkpointId}?wait=30`, { headers: { authorization: `Bearer ${agent.key}` } });
  const body = (await response.json()) as { status?: string };
  const at = performance.now();
  if (body.status !== "approved") throw new Error(`checkpoint ${checkpointId} answered ${response.status} ${JSON.stringify(body)} instead of approved`);
  return at;
}

function startDataPlane(port: number): ChildProcess {
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, ["--tsconfig", "tsconfig.node.json", "bench/approval-latency.ts"], {
    cwd: ROOT,
    env: { ...process.env, BENCH_APPROVALS_ROLE: "instance", PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000).then(() => child.kill("SIGKILL"))]);
}

async function waitHealthy(base: string, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 240; tries += 1) {
    if (child.exitCode !== null) throw new Error(`instance B exited early (${child.exitCode}).`);
    const ok = await fetch(`${base}/health`).then((response) => response.status === 200, () => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error("instance B did not become healthy within 60 s.");
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function print(rows: Array<[string, Sample[]]>): void {
  const header = ["waiting agents", "samples", "p50 ms", "p90 ms", "p99 ms", "max ms", "decide p50 ms", "decide p99 ms"];
  const cells = rows.map(([label, samples]) => {
    const total = samples.map((sample) => sample.total);
    const decide = samples.map((sample) => sample.decide);
    return [label, String(samples.length), ...[0.5, 0.9, 0.99, 1].map((q) => quantile(total, q).toFixed(1)), quantile(decide, 0.5).toFixed(1), quantile(decide, 0.99).toFixed(1)];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  console.log(`\nApproval → agent's answer on the other instance (${cpus().length} CPU(s), Node ${process.version}, load average ${loadavg().map((v) => v.toFixed(1)).join(" ")})\n`);
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of cells) console.log(line(row));
  console.log("\n`decide` is the approval's own transaction (vote, status, audit row, NOTIFY) as the inbox's approve button runs it.");
}
