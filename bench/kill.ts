// `npm run bench:kill`: the kill switch's speed, in one run (bench/README.md):
//  (a) GET /api/v1/agent/status on the 304 path (answered on the connection, ahead of node:http), the
//      same poll made to go through node:http, and a bare node:http server answering a constant;
//  (b) a stop-all reaching N agents' SSE streams (default 10,000) held across TWO console instances on
//      one database: commit → event latency per stream, p50/p99, and RSS per connection;
//  (c) the same with long-pollers (default 1,000);
//  (d) killAgent() in the middle of 64-connection decision load on both consoles: allows among the
//      decisions that started after the kill was answered (must be 0).
// BENCH_KILL_PARTS picks parts (default "abcd"; e.g. BENCH_KILL_PARTS=a for the poll alone).
// Part (a) runs its three loads in turn BENCH_KILL_POLL_ROUNDS times (default 3) and judges the
// medians, so a neighbour's burst on a shared machine skews one round, not the comparison.
// Each agent has its own key and holds one connection. Clients are raw sockets, so the load
// generator stays small. Uses DATABASE_URL when set (it WRITES agents into it), else embedded PostgreSQL.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { Result } from "autocannon";
import pg from "pg";
import { hasDatabaseUrl } from "@/lib/config/env";
import { generateAgentKey } from "@/lib/credentials/key-format";
import { resolveDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { notifyChange } from "@/lib/db/notify";
import { lockDecisionState } from "@/lib/decisions/lock-decision-state";
import { HOST, exitedEarly, freePort, sleep, startConsole, stopConsole, type Console } from "./support/console";
import { killUnderLoad, type KillUnderLoad } from "./support/kill-under-load";
import { pollLoad, printPoll } from "./support/status-poll-load";

const STREAMS = Number(process.env.BENCH_KILL_STREAMS ?? 10_000);
const POLLERS = Number(process.env.BENCH_KILL_POLLERS ?? 1_000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LOAD_CONNECTIONS = Number(process.env.BENCH_KILL_LOAD_CONNECTIONS ?? 64);
const LOAD_SECONDS = Number(process.env.BENCH_KILL_LOAD_SECONDS ?? 8);
const POLL_ROUNDS = Math.max(1, Number(process.env.BENCH_KILL_POLL_ROUNDS ?? 3));
const PARTS = new Set((process.env.BENCH_KILL_PARTS ?? "abcd").toLowerCase());
const OPENING_AT_ONCE = 200;
const READY_TIMEOUT_MS = 240_000;

interface Agent {
  id: string;
  key: string;
}

interface Client {
  socket: net.Socket;
  ready: boolean;
  toldAt: number | null;
  tail: Buffer;
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mandate-bench-kill-"));
  // Its own folder: the embedded server runs as another user, which must be able to enter it.
  const databaseDir = hasDatabaseUrl() ? null : mkdtempSync(path.join(tmpdir(), "mandate-bench-kill-db-"));
  const database = await resolveDatabase({ dataDir: databaseDir ?? "." });
  process.env.DATABASE_URL = database.url;
  const admin = new pg.Client({ connectionString: database.url });
  const consoles: Console[] = [];
  let bare: ChildProcess | undefined;
  try {
    await migrate(database.url);
    await admin.connect();
    const agents = await seedAgents(admin, Math.max(PARTS.has("b") ? STREAMS : 0, PARTS.has("c") ? POLLERS : 0, 1));
    const ports = [await freePort(), await freePort()];
    console.log(`${agents.length.toLocaleString("en-US")} agents with keys; starting two consoles on one database (${database.embedded ? "embedded" : "DATABASE_URL"}) …`);
    for (const [index, port] of ports.entries()) consoles.push(startConsole(port, path.join(dataDir, `console-${index}`), { demo: false }));
    await Promise.all(ports.map((port, index) => waitHealthy(port, consoles[index]!)));
    console.log(`Open files allowed to this process: ${readLimit()} (raise with \`ulimit -n\` for larger N).`);

    // (a) the 304 path, beside the same poll through node:http and a bare node:http server in its own process.
    const poll = PARTS.has("a") ? await pollLoad(ports[0]!, agents[0]!.key, { rounds: POLL_ROUNDS, seconds: DURATION_S, connections: CONNECTIONS }, (child) => (bare = child)) : null;

    // (b) SSE streams across both consoles, then a stop-all.
    let sse: FanOut | null = null;
    if (PARTS.has("b")) {
      console.log(`(b) opening ${STREAMS.toLocaleString("en-US")} SSE streams, half on each console …`);
      sse = await fanOut(admin, consoles, ports, agents.slice(0, STREAMS), "sse");
    }
    // (c) long-pollers likewise.
    let polls: FanOut | null = null;
    if (PARTS.has("c")) {
      console.log(`(c) opening ${POLLERS.toLocaleString("en-US")} long-polls (?wait=30), half on each console …`);
      polls = await fanOut(admin, consoles, ports, agents.slice(0, POLLERS), "long-poll");
    }

    // (d) a kill under decision load on both consoles.
    let underLoad: KillUnderLoad | null = null;
    if (PARTS.has("d")) {
      console.log(`(d) ${LOAD_CONNECTIONS} connections asking for decisions on both consoles, killAgent() after ${LOAD_SECONDS / 2} s …`);
      underLoad = await killUnderLoad(admin, ports, agents[agents.length - 1]!, { connections: LOAD_CONNECTIONS, seconds: LOAD_SECONDS });
    }

    console.log(`\n${cpus().length} CPU(s), Node ${process.version}, load average at the end ${loadavg().map((value) => value.toFixed(1)).join(" ")}\n`);
    if (poll) printPoll(poll);
    for (const fan of [sse, polls]) if (fan) printFanOut(fan);
    if (underLoad) printUnderLoad(underLoad);
    const every304 = (result: Result) => result.errors + result.timeouts === 0 && (result.statusCodeStats?.["304"]?.count ?? 0) === result.requests.total;
    const ok = !poll || poll.rounds.every((round) => every304(round.socket) && every304(round.nodeHttp));
    const told = [sse, polls].every((fan) => !fan || fan.told === fan.n);
    const noWindow = !underLoad || (underLoad.allowsAfter === 0 && underLoad.startedAfter > 0 && underLoad.allowsBefore > 0);
    return ok && told && noWindow ? 0 : 1;
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    for (const child of consoles) console.error(`--- console output ---\n${child.output.join("").trim().slice(-3_000)}`);
    return 1;
  } finally {
    bare?.kill();
    await Promise.all(consoles.map((child) => stopConsole(child)));
    await admin.end().catch(() => {});
    await database.stop();
    for (const folder of [dataDir, databaseDir]) if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

async function seedAgents(client: pg.Client, n: number): Promise<Agent[]> {
  const person = await client.query<{ id: string }>(
    "INSERT INTO person (email, name, roles, updated_at) VALUES ($1, 'Bench Admin', ARRAY['admin']::\"Role\"[], now()) RETURNING id",
    [`bench-${randomUUID().slice(0, 8)}@example.com`],
  );
  const agents: Agent[] = [];
  for (let start = 0; start < n; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, n - start) }, () => ({ id: randomUUID(), generated: generateAgentKey() }));
    await client.query(
      `INSERT INTO agent (id, slug, name, purpose, status, deployed_by_id, updated_at)
       SELECT id, 'bench-' || id, 'Bench ' || id, 'Holds a kill-switch connection.', 'active', $2, now() FROM unnest($1::uuid[]) AS t(id)`,
      [batch.map((agent) => agent.id), person.rows[0]!.id],
    );
    await client.query(
      `INSERT INTO credential (agent_id, prefix, secret_hash, label) SELECT * , 'bench' FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      [batch.map((agent) => agent.id), batch.map((agent) => agent.generated.prefix), batch.map((agent) => agent.generated.secretHash)],
    );
    for (const agent of batch) agents.push({ id: agent.id, key: agent.generated.key });
  }
  return agents;
}

interface FanOut {
  mode: "sse" | "long-poll";
  n: number;
  told: number;
  commitMs: number;
  latencies: number[];
  /** RSS growth of each console's process tree while its connections were open, per connection (bytes). */
  perConnection: number[];
}

/** Opens one connection per agent (alternating consoles), stops the fleet, times each client's news, resumes. */
async function fanOut(admin: pg.Client, consoles: Console[], ports: number[], agents: Agent[], mode: FanOut["mode"]): Promise<FanOut> {
  const fleetVersion = (await admin.query<{ version: number }>("SELECT version FROM fleet_state WHERE id = 1")).rows[0]!.version;
  const versions = new Map((await admin.query<{ id: string; v: number }>("SELECT id, state_version AS v FROM agent WHERE id = ANY($1::uuid[])", [agents.map((a) => a.id)])).rows.map((r) => [r.id, r.v]));
  const before = consoles.map((child) => treeRss(child.pid!));
  const clients: Client[] = [];
  const opening = new Set<Promise<void>>();
  for (const [index, agent] of agents.entries()) {
    const port = ports[index % 2]!;
    const request =
      mode === "sse"
        ? `GET /api/v1/agent/events HTTP/1.1\r\nHost: ${HOST}:${port}\r\nAuthorization: Bearer ${agent.key}\r\nAccept: text/event-stream\r\n\r\n`
        : `GET /api/v1/agent/status?wait=30 HTTP/1.1\r\nHost: ${HOST}:${port}\r\nAuthorization: Bearer ${agent.key}\r\nIf-None-Match: "${versions.get(agent.id)! + fleetVersion}"\r\n\r\n`;
    const opened = openClient(port, request, mode === "long-poll").then((client) => void clients.push(client));
    opening.add(opened);
    void opened.finally(() => opening.delete(opened));
    if (opening.size >= OPENING_AT_ONCE) await Promise.race(opening);
  }
  await Promise.all(opening);
  if (mode === "sse") await waitFor(() => clients.every((client) => client.ready), 60_000);
  await sleep(3_000); // long-polls send nothing until told: give the consoles time to have registered them all
  const after = consoles.map((child) => treeRss(child.pid!));
  const perConnection = after.map((rss, index) => (rss - before[index]!) / Math.ceil(agents.length / 2));
  if (clients.some((client) => client.toldAt !== null)) throw new Error("a client heard of a stop before it was made.");

  await admin.query("BEGIN");
  await lockDecisionState(admin, { fleet: true });
  await admin.query("UPDATE fleet_state SET stopped = true, mode = 'forced', reason = 'bench: stop all', changed_at = now(), version = version + 1 WHERE id = 1");
  await notifyChange(admin, { kind: "fleet" });
  const committing = performance.now();
  await admin.query("COMMIT");
  const commitMs = performance.now() - committing;
  await waitFor(() => clients.every((client) => client.toldAt !== null), 10_000).catch(() => undefined);
  const latencies = clients.filter((client) => client.toldAt !== null).map((client) => client.toldAt! - committing);
  for (const client of clients) client.socket.destroy();
  await admin.query("BEGIN");
  await lockDecisionState(admin, { fleet: true });
  await admin.query("UPDATE fleet_state SET stopped = false, mode = NULL, reason = 'bench: resume', changed_at = now(), version = version + 1 WHERE id = 1");
  await notifyChange(admin, { kind: "fleet" });
  await admin.query("COMMIT");
  await sleep(2_000);
  return { mode, n: agents.length, told: latencies.length, commitMs, latencies, perConnection };
}

const ACTIVE = Buffer.from('"state":"active"');
const KILLED = Buffer.from('"state":"killed"');
const OK = Buffer.from("HTTP/1.1 200 ");

/** A raw HTTP/1.1 client: no framework, no decoding — a byte search per packet (and across two). */
function openClient(port: number, request: string, longPoll: boolean): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST);
    const client: Client = { socket, ready: false, toldAt: null, tail: Buffer.alloc(0) };
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.write(request);
      socket.removeListener("error", reject);
      socket.on("error", () => {});
      resolve(client);
    });
    socket.on("data", (chunk: Buffer) => {
      const at = performance.now();
      if (!client.ready && contains(client, chunk, ACTIVE)) client.ready = true;
      if (client.toldAt === null && (contains(client, chunk, KILLED) || (longPoll && chunk.indexOf(OK) === 0))) client.toldAt = at;
      client.tail = chunk.subarray(-KILLED.length);
    });
  });
}

function contains(client: Client, chunk: Buffer, pattern: Buffer): boolean {
  if (chunk.indexOf(pattern) !== -1) return true;
  return client.tail.length > 0 && Buffer.concat([client.tail, chunk.subarray(0, pattern.length)]).indexOf(pattern) !== -1;
}

/** Resident memory of a process and all its descendants (the console runs under tsx), from /proc. */
function treeRss(root: number): number {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  let total = 0;
  for (const pid of parents.keys()) {
    let current: number | undefined = pid;
    for (let hops = 0; current !== undefined && current > 1 && current !== root && hops < 64; hops += 1) current = parents.get(current);
    if (current !== root) continue;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      // Not the embedded PostgreSQL: with DATABASE_URL unset it runs in this process, not the consoles.
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

function readLimit(): string {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((entry) => entry.startsWith("Max open files"));
  return line ? line.split(/\s{2,}/)[1] ?? "?" : "?";
}

async function waitHealthy(port: number, child: Console): Promise<void> {
  await waitFor(async () => {
    if (exitedEarly(child)) throw new Error(`a console exited early (${child.exitCode ?? child.signalCode}).`);
    return fetch(`http://${HOST}:${port}/api/v1/health`).then((response) => response.status === 200, () => false);
  }, READY_TIMEOUT_MS);
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs / 1000} s.`);
    await sleep(25);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function printFanOut(fan: FanOut): void {
  const sorted = [...fan.latencies].sort((x, y) => x - y);
  const kb = fan.perConnection.map((bytes) => (bytes / 1024).toFixed(1)).join(" / ");
  const worst = Math.max(...fan.perConnection) / 1024;
  console.log(
    `(${fan.mode === "sse" ? "b" : "c"}) stop-all → ${fan.n.toLocaleString("en-US")} ${fan.mode === "sse" ? "SSE streams" : "long-polls"}: told ${fan.told.toLocaleString("en-US")}; ` +
      `from COMMIT sent: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${percentile(sorted, 100).toFixed(0)} ms (the commit itself ${fan.commitMs.toFixed(1)} ms); ` +
      `RSS per connection console A / B: ${kb} KB — targets p99 < 250 ms ${percentile(sorted, 99) < 250 && fan.told === fan.n ? "met" : "MISSED"}, < 20 KB ${worst < 20 ? "met" : "MISSED"}`,
  );
}

function printUnderLoad(run: KillUnderLoad): void {
  console.log(
    `(d) kill under load: ${run.decisions.toLocaleString("en-US")} decisions at ${Math.round(run.perSecond).toLocaleString("en-US")}/s over ${run.connections} connections on two consoles; ` +
      `killAgent() answered in ${run.killMs.toFixed(0)} ms; ${run.allowsBefore.toLocaleString("en-US")} allows before it, ` +
      `${run.startedAfter.toLocaleString("en-US")} decisions started after it answered, ${run.allowsAfter} of them allowed ` +
      `(failures ${run.failures}) — target 0 ${run.allowsAfter === 0 && run.startedAfter > 0 ? "met" : "MISSED"}`,
  );
}

process.exitCode = await main();
