// Where the machine's CPU goes during a benchmark row, from /proc (Linux): the console's process
// tree, PostgreSQL's processes (the embedded server is a child of the console; with DATABASE_URL,
// every process named postgres) and this process, which runs the load generator. Lets a
// table say "per decision: N µs in Node, M µs in PostgreSQL", which is what a throughput ceiling on
// a small machine is made of. Elsewhere (no /proc) every figure is null and nothing is printed.
import { readdirSync, readFileSync } from "node:fs";

export type CpuGroup = "console" | "postgres" | "load generator" | "other";
export type CpuSnapshot = Map<number, { group: CpuGroup; ticks: number }> | null;

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readStats(): ProcStat[] | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats: ProcStat[] = [];
  for (const name of entries) {
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      // comm is parenthesised and may itself contain spaces or parentheses: split after the last ")".
      const close = text.lastIndexOf(")");
      const fields = text.slice(close + 2).split(" ");
      stats.push({
        pid: Number(name),
        comm: text.slice(text.indexOf("(") + 1, close),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return stats;
}

/** Every process's CPU ticks so far, grouped relative to the console's root pid. */
export function cpuSnapshot(consolePid: number | undefined): CpuSnapshot {
  const stats = readStats();
  if (!stats || consolePid === undefined) return null;
  const parent = new Map(stats.map((stat) => [stat.pid, stat.ppid]));
  const underConsole = (pid: number) => {
    for (let current: number | undefined = pid, hops = 0; current !== undefined && current > 1 && hops < 64; hops += 1) {
      if (current === consolePid) return true;
      current = parent.get(current);
    }
    return false;
  };
  const snapshot = new Map<number, { group: CpuGroup; ticks: number }>();
  // The embedded server runs under the console; a DATABASE_URL server is any process named postgres
  // (on a shared machine that may include other databases' work).
  const external = Boolean(process.env.DATABASE_URL);
  for (const stat of stats) {
    const inConsole = underConsole(stat.pid);
    const group: CpuGroup =
      stat.comm === "postgres" && (inConsole || external)
        ? "postgres"
        : stat.pid === process.pid
          ? "load generator"
          : inConsole
            ? "console"
            : "other";
    snapshot.set(stat.pid, { group, ticks: stat.ticks });
  }
  return snapshot;
}

/** CPU seconds per group between two snapshots (processes that started in between count from zero). */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Record<CpuGroup, number> | null {
  if (!before || !after) return null;
  const spent: Record<CpuGroup, number> = { console: 0, postgres: 0, "load generator": 0, other: 0 };
  for (const [pid, { group, ticks }] of after) {
    const delta = ticks - (before.get(pid)?.ticks ?? 0);
    if (delta > 0) spent[group] += delta / TICKS_PER_SECOND;
  }
  return spent;
}
