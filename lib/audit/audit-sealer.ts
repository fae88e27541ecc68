// The background loops that keep the audit chain sealed and its search index filled, started by
// every console instance. Each round takes a transaction-level advisory lock (seal-events.ts,
// index-audit-search.ts), so whichever instance gets it does the work and the others' rounds
// return at once; when an instance dies mid-round its transaction rolls back, the lock goes with
// it, and the next instance's round takes over. A round that fills its batch is followed at once
// by another, so a backlog drains at full speed while the steady state costs a few queries every
// interval. The two loops are independent: a failing indexer never slows or stops sealing.
import "server-only";
import type pg from "pg";
import { headWebhookConfig, startHeadPublisher } from "@/lib/audit/audit-head-publisher";
import { DEFAULT_SEARCH_BATCH, indexAuditSearch, type SearchRound } from "@/lib/audit/index-audit-search";
import { DEFAULT_MAX_HOLD_MS, DEFAULT_SEAL_BATCH, sealEvents, type SealRound } from "@/lib/audit/seal-events";
import { pool as sharedPool } from "@/lib/db/pool";

export interface AuditSealerOptions {
  pool?: pg.Pool;
  /** Pause between rounds once caught up; the chain lags the newest rows by about this much. */
  intervalMs?: number;
  batchSize?: number;
  maxHoldMs?: number;
  log?: (line: string) => void;
  /** Called after every round that held the lock (benchmarks and tests watch it). */
  onRound?: (round: SealRound, ms: number) => void;
}

export interface AuditSearchIndexerOptions {
  pool?: pg.Pool;
  /** Pause between rounds once caught up; the viewer checks events past the watermark directly. */
  intervalMs?: number;
  batchSize?: number;
  log?: (line: string) => void;
  onRound?: (round: SearchRound, ms: number) => void;
}

export interface RoundLoop<T> {
  /** One round now (waits for a round under way first). */
  runOnce(): Promise<T>;
  stop(): Promise<void>;
}

export type AuditSealer = RoundLoop<SealRound>;
export type AuditSearchIndexer = RoundLoop<SearchRound>;

const DEFAULT_INTERVAL_MS = 200;
/** After a failure (database away), wait longer before trying again. */
const RETRY_MS = 2_000;

export function startAuditSealer(options: AuditSealerOptions = {}): AuditSealer {
  const seal = { batchSize: options.batchSize ?? DEFAULT_SEAL_BATCH, maxHoldMs: options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS };
  return startRoundLoop({
    name: "Audit sealer",
    pool: options.pool,
    intervalMs: options.intervalMs,
    log: options.log,
    round: async (client) => {
      const started = performance.now();
      const result = await sealEvents(client, seal);
      if (result.locked) options.onRound?.(result, performance.now() - started);
      return result;
    },
    full: (result) => result.sealed === seal.batchSize,
  });
}

export function startAuditSearchIndexer(options: AuditSearchIndexerOptions = {}): AuditSearchIndexer {
  const batchSize = options.batchSize ?? DEFAULT_SEARCH_BATCH;
  return startRoundLoop({
    name: "Audit search indexer",
    pool: options.pool,
    intervalMs: options.intervalMs,
    log: options.log,
    round: async (client) => {
      const started = performance.now();
      const result = await indexAuditSearch(client, { batchSize });
      if (result.locked) options.onRound?.(result, performance.now() - started);
      return result;
    },
    full: (result) => result.read === batchSize,
  });
}

interface LoopSpec<T> {
  /** Starts the log lines. */
  name: string;
  pool?: pg.Pool;
  intervalMs?: number;
  log?: (line: string) => void;
  /** One round in its own transaction on `client`; throws on failure. */
  round: (client: pg.PoolClient) => Promise<T>;
  /** True when the round filled its batch: the next one starts at once. */
  full: (result: T) => boolean;
}

function startRoundLoop<T>(spec: LoopSpec<T>): RoundLoop<T> {
  const pool = spec.pool ?? sharedPool();
  const log = spec.log ?? ((line: string) => console.warn(line));
  const intervalMs = spec.intervalMs ?? DEFAULT_INTERVAL_MS;
  let running: Promise<T> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failing = false;

  const round = async (): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on("error", onError);
    try {
      return await spec.round(client);
    } catch (error) {
      broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.removeListener("error", onError);
      // A failed round may leave the connection mid-transaction: never hand it out again.
      client.release(broken);
    }
  };
  const runOnce = (): Promise<T> => {
    running ??= round().finally(() => (running = null));
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = () => {
    runOnce().then(
      (result) => {
        if (failing) log(`${spec.name}: working again.`);
        failing = false;
        schedule(spec.full(result) ? 0 : intervalMs);
      },
      (error: unknown) => {
        // One line per outage, not one per round.
        if (!failing) log(`${spec.name}: a round failed (${error instanceof Error ? error.message : "unknown error"}); retrying.`);
        failing = true;
        schedule(RETRY_MS);
      },
    );
  };
  schedule(0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** What every console instance runs for the chain: the sealer, the search indexer, and the head webhook when configured. */
export function startAuditChain(): { stop(): Promise<void> } {
  // A misconfigured webhook stops the start with one line (ConfigError) before anything runs.
  const config = headWebhookConfig();
  const sealer = startAuditSealer();
  const indexer = startAuditSearchIndexer();
  const publisher = config ? startHeadPublisher(config) : null;
  return {
    async stop() {
      await Promise.allSettled([sealer.stop(), indexer.stop(), publisher?.stop()]);
    },
  };
}
