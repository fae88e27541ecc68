// Verifies the audit chain: recomputes every seal's hash over its event and checks every link,
// and reports the first break. The chain up to the head read at the start is cut into seq ranges
// walked on a few connections at once: PostgreSQL renders events on as many backends while Node
// hashes, which is what reaches hundreds of thousands of rows a second. A range is read as its
// seals and its events, streamed (read-seal-range.ts), so memory stays flat whatever the chain's
// length. A range starts from the stored hash of the row before it, which the previous range
// verifies, so together they check every link. Used by `mandate audit verify` and the auditors'
// console button.
// No `server-only`: the CLI and the benchmark use it too.
import pg from "pg";
import { GENESIS_HASH } from "@/lib/audit/canonical-event";
import { readSeals, visitSealRange } from "@/lib/audit/read-seal-range";
import { HEAD_SQL, type ChainHead } from "@/lib/audit/seal-events";
import { classifyLink } from "@/lib/audit/verify-classify";
import { ChainWalker, type ChainBreak, type WalkStop } from "@/lib/audit/verify-walk";
import { pool as sharedPool } from "@/lib/db/pool";
import { AppError } from "@/lib/http/errors";

export type { ChainBreak, ChainProblem } from "@/lib/audit/verify-walk";

// A range's seals are held in memory while it is walked, as one text (about 160 bytes each); its
// events only while they wait for their seal's turn.
export const DEFAULT_VERIFY_RANGE = 50_000;
export const DEFAULT_VERIFY_PARALLEL = 2;

export interface VerifyOptions {
  /** First seq to check (default 1); the row before it is trusted as the starting link. */
  from?: number;
  /** A head published earlier (`mandate audit head`): the chain must still contain it, unchanged. */
  anchor?: { seq: number; hash: string };
  /** Seals per range (one read of the seals, then their events streamed). */
  rangeSize?: number;
  /** Ranges walked at once, each on its own connection. */
  parallel?: number;
  pool?: pg.Pool;
  /** Called as ranges complete, with the rows verified so far. */
  onProgress?: (checked: number) => void;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows whose hash and link were verified. */
  checked: number;
  from: number;
  /** The last verified row: the chain's head when ok, the last good row before the break otherwise. */
  head: { seq: number; hash: string } | null;
  firstBreak?: ChainBreak;
  durationMs: number;
}

interface RangeResult {
  walker: ChainWalker;
  stop: WalkStop | null;
}

// Session settings of the walking connections (reset before they go back to the pool): planned
// costs of long ranges pass jit_above_cost, and compiling buys nothing for these scans; a parallel
// plan would only add a gather.
const WALK_SETTINGS = { jit: "off", max_parallel_workers_per_gather: "0" };
const SET_WALK = Object.entries(WALK_SETTINGS).map(([name, value]) => `SET ${name} = ${value}`).join("; ");
const RESET_WALK = Object.keys(WALK_SETTINGS).map((name) => `RESET ${name}`).join("; ");

export async function verifyAuditChain(options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const from = options.from ?? 1;
  if (!Number.isSafeInteger(from) || from < 1) throw new AppError("bad_request", "from must be a sequence number of 1 or more.");
  const pool = options.pool ?? sharedPool();
  const top = (await pool.query<ChainHead>(HEAD_SQL)).rows[0];
  const topSeq = top ? Number(top.seq) : 0;
  if (from - 1 > topSeq) throw new AppError("bad_request", `from (${from}) is past the head of the chain (seq ${topSeq}).`);
  const rangeSize = options.rangeSize ?? DEFAULT_VERIFY_RANGE;
  const count = Math.ceil((topSeq - (from - 1)) / rangeSize);
  const bounds = (index: number) => {
    const lo = from - 1 + index * rangeSize;
    return { lo, hi: Math.min(lo + rangeSize, topSeq) };
  };

  const results: RangeResult[] = [];
  let firstStopped = Number.POSITIVE_INFINITY;
  let next = 0;
  let progress = 0;
  const work = async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on("error", onError);
    try {
      await client.query(SET_WALK);
      // Ranges after a known break cannot change the answer.
      while (next < count && next <= firstStopped) {
        const index = next++;
        const { lo, hi } = bounds(index);
        const result = await walkRange(client, lo, hi, options.anchor);
        results[index] = result;
        if (result.stop) firstStopped = Math.min(firstStopped, index);
        progress += result.walker.checked;
        options.onProgress?.(progress);
      }
    } finally {
      if (!broken) await client.query(RESET_WALK).catch(onError);
      client.removeListener("error", onError);
      client.release(broken);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.parallel ?? DEFAULT_VERIFY_PARALLEL), count) }, work));

  const outcome = await merge(pool, results, count === 0 ? await startOnly(pool, from) : null, options.anchor);
  return { ...outcome, from, durationMs: Math.round(performance.now() - started) };
}

async function merge(pool: pg.Pool, results: RangeResult[], empty: RangeResult | null, anchor?: { seq: number; hash: string }) {
  let checked = 0;
  let last: ChainWalker | null = null;
  for (const range of empty ? [empty] : results) {
    checked += range.walker.checked;
    if (range.stop) return explainBreak(pool, range.walker, range.stop, checked);
    last = range.walker;
  }
  const head = last && last.seq > 0 ? { seq: last.seq, hash: last.hash } : null;
  if (anchor && anchor.seq > (head?.seq ?? 0)) {
    const found: ChainBreak = { seq: (head?.seq ?? 0) + 1, id: null, problem: "truncated", detail: `the chain ends at seq ${head?.seq ?? 0}, before the published head seq ${anchor.seq}` };
    return { ok: false, checked, head, firstBreak: found };
  }
  return { ok: true, checked, head };
}

async function explainBreak(pool: pg.Pool, walker: ChainWalker, stop: WalkStop, checked: number) {
  const client = await pool.connect();
  try {
    const found = stop.kind === "break" ? stop.found : await classifyLink(client, stop.link);
    // The classification may name the last row the walker accepted as the intruder.
    if (found.seq === walker.seq && walker.seq > 0) {
      const firstBreak = { ...found, id: found.id ?? walker.id };
      const head = walker.seq > 1 && walker.before ? { seq: walker.seq - 1, hash: walker.before } : null;
      return { ok: false, checked: checked - 1, head, firstBreak };
    }
    return { ok: false, checked, head: walker.seq > 0 ? { seq: walker.seq, hash: walker.hash } : null, firstBreak: found };
  } finally {
    client.release();
  }
}

/** Walks (lo, hi]: row lo supplies the starting link; one row past hi settles a verdict on hi. */
async function walkRange(client: pg.PoolClient, lo: number, hi: number, anchor?: { seq: number; hash: string }): Promise<RangeResult> {
  let walker = new ChainWalker({ seq: 0, hash: GENESIS_HASH, before: null }, hi, anchor);
  if (lo > 0) {
    // The row before the range: trusted here, verified as the previous range's last row.
    const [start] = await readSeals(client, lo, lo);
    if (!start) return { walker: new ChainWalker({ seq: lo, hash: "", before: null }, hi, anchor), stop: { kind: "break", found: startMissing(lo) } };
    walker = new ChainWalker({ seq: lo, hash: start.hash, before: start.prevHash }, hi, anchor);
    walker.id = start.eventId;
  }
  await visitSealRange(client, lo + 1, hi + 1, (seal, canonical) => walker.push(seal.seq, seal.eventId, seal.prevHash, seal.hash, canonical));
  return { walker, stop: walker.finish() };
}

function startMissing(seq: number): ChainBreak {
  return { seq, id: null, problem: "deleted", detail: `seq ${seq}, the link to start from, is missing` };
}

/** `from` just past the head: only the starting row needs to exist. */
async function startOnly(pool: pg.Pool, from: number): Promise<RangeResult> {
  const walker = new ChainWalker({ seq: from - 1, hash: GENESIS_HASH, before: null }, from - 1);
  if (from === 1) return { walker, stop: null };
  const { rows } = await pool.query<{ hash: string }>("SELECT hash FROM audit_seal WHERE seq = $1", [from - 1]);
  if (!rows[0]) return { walker, stop: { kind: "break", found: startMissing(from - 1) } };
  walker.hash = rows[0].hash;
  return { walker, stop: null };
}
