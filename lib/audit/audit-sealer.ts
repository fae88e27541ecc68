// The background loop that keeps the audit chain sealed, started by every console instance.
// Each round takes a transaction-level advisory lock (seal-events.ts), so whichever instance gets
// it seals and the others' rounds return at once; when an instance dies mid-round its
// transaction rolls back, the lock goes with it, and the next instance's round takes over. A
// round that fills its batch is followed at once by another, so a backlog drains at full speed
// while the steady state costs a few queries every interval.
import "server-only";
import type pg from "pg";
import { headWebhookConfig, startHeadPublisher } from "@/lib/audit/audit-head-publisher";
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

export interface AuditSealer {
  /** One round now (waits for a round under way first). */
  runOnce(): Promise<SealRound>;
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 200;
/** After a failure (database away), wait longer before trying again. */
const RETRY_MS = 2_000;

export function startAuditSealer(options: AuditSealerOptions = {}): AuditSealer {
  const pool = options.pool ?? sharedPool();
  const log = options.log ?? ((line: string) => console.warn(line));
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const seal = { batchSize: options.batchSize ?? DEFAULT_SEAL_BATCH, maxHoldMs: options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS };
  let running: Promise<SealRound> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failing = false;

  const round = async (): Promise<SealRound> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on("error", onError);
    try {
      const started = performance.now();
      const result = await sealEvents(client, seal);
      if (result.locked) options.onRound?.(result, performance.now() - started);
      return result;
    } catch (error) {
      broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.removeListener("error", onError);
      // A failed round may leave the connection mid-transaction: never hand it out again.
      client.release(broken);
    }
  };
  const runOnce = (): Promise<SealRound> => {
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
        if (failing) log("Audit sealer: working again.");
        failing = false;
        schedule(result.sealed === seal.batchSize ? 0 : intervalMs);
      },
      (error: unknown) => {
        // One line per outage, not one per round.
        if (!failing) log(`Audit sealer: a round failed (${error instanceof Error ? error.message : "unknown error"}); retrying.`);
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

/** What every console instance runs for the chain: the sealer, and the head webhook when configured. */
export function startAuditChain(): { stop(): Promise<void> } {
  // A misconfigured webhook stops the start with one line (ConfigError) before anything runs.
  const config = headWebhookConfig();
  const sealer = startAuditSealer();
  const publisher = config ? startHeadPublisher(config) : null;
  return {
    async stop() {
      await Promise.allSettled([sealer.stop(), publisher?.stop()]);
    },
  };
}
