// Part (a) of `npm run bench:kill`: the kill-switch poll's 304 on the connection, the same poll made
// to go through node:http, and a bare node:http server answering a constant, loaded in turn for a
// few rounds with autocannon and judged on the medians (bench/README.md).
import { spawn, type ChildProcess } from "node:child_process";
import autocannon, { type Result } from "autocannon";
import { HOST, freePort, sleep } from "./console";

export interface PollRound {
  /** The plain poll: answered on the connection (lib/server/status-socket-path.ts). */
  socket: Result;
  /** The same poll with If-None-Match sent twice: node:http's (see NODE_HTTP_NOTE). */
  nodeHttp: Result;
  constant: Result;
}

export interface PollLoad {
  etag: string;
  rounds: PollRound[];
}

const NODE_HTTP_NOTE =
  "If-None-Match sent twice: the connection-level path leaves a repeated field to node:http, which joins the two into one value; its request-level fast path then answers the same 304";

export interface PollOptions {
  rounds: number;
  seconds: number;
  connections: number;
}

/** Part (a): `rounds` rounds, each loading in turn the plain poll, the same poll through node:http, and bare node:http. */
export async function pollLoad(port: number, key: string, options: PollOptions, spawned: (child: ChildProcess) => void): Promise<PollLoad> {
  const { rounds: count, seconds, connections } = options;
  const load = (url: string, headers: Record<string, string>, warmup: boolean) => loadFor(url, headers, warmup, seconds, connections);
  const barePort = await freePort();
  const bare = spawn(process.execPath, ["-e", `require("node:http").createServer((q, s) => s.end("ok")).listen(${barePort}, "${HOST}")`], { stdio: "ignore" });
  spawned(bare);
  await until(() => fetch(`http://${HOST}:${barePort}/`).then((r) => r.ok, () => false), 10_000);
  const url = `http://${HOST}:${port}/api/v1/agent/status`;
  const first = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const etag = first.headers.get("etag")!;
  console.log(
    `(a) ${count} round(s) of ${seconds} s each at ${connections} connections: GET /api/v1/agent/status with If-None-Match ${etag}; ` +
      "the same through node:http; bare node:http …",
  );
  const rounds: PollRound[] = [];
  for (let round = 0; round < count; round += 1) {
    const warm = round === 0;
    rounds.push({
      socket: await load(url, { authorization: `Bearer ${key}`, "if-none-match": etag }, warm),
      // Two object keys differing in case: autocannon writes both fields.
      nodeHttp: await load(url, { authorization: `Bearer ${key}`, "if-none-match": etag, "If-None-Match": etag }, warm),
      constant: await load(`http://${HOST}:${barePort}/`, {}, warm),
    });
  }
  return { etag, rounds };
}

function loadFor(url: string, headers: Record<string, string>, warmup: boolean, seconds: number, connections: number): Promise<Result> {
  return autocannon({ url, headers, connections, duration: seconds, timeout: 10, ...(warmup ? { warmup: { connections, duration: 3 } } : {}) });
}

export function printPoll({ rounds }: PollLoad): void {
  const line = (result: Result) => {
    const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`).join(" ");
    return `${Math.round(result.requests.average).toLocaleString("en-US")} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${codes ? ` (${codes}, errors ${result.errors + result.timeouts})` : ""}`;
  };
  rounds.forEach((round, index) => {
    console.log(`(a) round ${index + 1}: GET /api/v1/agent/status → 304 on the connection: ${line(round.socket)}`);
    console.log(`             the same poll through node:http:       ${line(round.nodeHttp)}`);
    console.log(`             bare node:http constant:               ${line(round.constant)}`);
  });
  const median = (pick: (round: PollRound) => Result) => median50(rounds.map((round) => pick(round).requests.average));
  const [socket, nodeHttp, constant] = [median((round) => round.socket), median((round) => round.nodeHttp), median((round) => round.constant)];
  const ratio = socket / constant;
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} req/s`;
  console.log(`    (node:http path: ${NODE_HTTP_NOTE})`);
  console.log(
    `    medians: on the connection ${rate(socket)}, through node:http ${rate(nodeHttp)}, bare ${rate(constant)} → ${(ratio * 100).toFixed(0)} % of bare, ` +
      `×${(socket / nodeHttp).toFixed(2)} the node:http path; targets ≥ 25,000 req/s ${socket >= 25_000 ? "met" : "MISSED"}, ≥ 40 % ${ratio >= 0.4 ? "met" : "MISSED"}`,
  );
}

function median50(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length === 0 ? NaN : sorted[Math.ceil(sorted.length / 2) - 1]!;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: not ready within ${timeoutMs} ms`);
    await sleep(50);
  }
}
