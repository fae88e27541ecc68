// Every few seconds, one instance expires overdue checkpoints (expire-checkpoints.ts) and fails
// kill drills nobody acknowledged in time (lib/kill/fail-unacknowledged-drills.ts). A
// transaction-level advisory lock elects the sweeper per round, so a fleet of instances does the
// work once; readers expire lazily in between, so an agent never waits on the sweeper.
import "server-only";
import type pg from "pg";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { pool as sharedPool } from "@/lib/db/pool";
import { failUnacknowledgedDrills } from "@/lib/kill/fail-unacknowledged-drills";

/** "MNDC": the checkpoint sweeper's advisory lock (two-key form). */
const SWEEP_LOCK: [number, number] = [0x4d4e4443, 1];
const BATCH = 500;
/** Rounds are short even after downtime left thousands overdue; the next round continues. */
const MAX_BATCHES_PER_ROUND = 20;

export interface CheckpointSweeper {
  /** One round now; resolves with how many checkpoints it expired (0 when another instance holds the lock). */
  runOnce(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

export function startCheckpointSweeper(options: { pool?: pg.Pool; intervalMs?: number; log?: (line: string) => void } = {}): CheckpointSweeper {
  const pool = options.pool ?? sharedPool();
  const log = options.log ?? ((line: string) => console.warn(line));
  let running: Promise<number> | null = null;
  let failing = false;

  const runOnce = (now?: Date): Promise<number> => {
    running ??= sweep(pool, now).finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    runOnce().then(
      () => {
        if (failing) log("Checkpoint sweeper: working again.");
        failing = false;
      },
      (error: unknown) => {
        // One line per outage, not one per round.
        if (!failing) log(`Checkpoint sweeper: a round failed (${error instanceof Error ? error.message : "unknown error"}); retrying.`);
        failing = true;
      },
    );
  }, options.intervalMs ?? 2_000);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}

async function sweep(pool: pg.Pool, now?: Date): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1::int4, $2::int4) AS locked", SWEEP_LOCK);
    let total = 0;
    if (rows[0]?.locked) {
      for (let batch = 0; batch < MAX_BATCHES_PER_ROUND; batch += 1) {
        const expired = await expireCheckpoints(client, { now: now ?? new Date(), limit: BATCH, via: "sweeper" });
        total += expired.length;
        if (expired.length < BATCH) break;
      }
      await failUnacknowledgedDrills(client, { now: now ?? new Date(), limit: BATCH });
    }
    await client.query("COMMIT");
    return total;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError instanceof Error ? rollbackError : new Error("rollback failed")));
    throw error;
  } finally {
    client.release(broken);
  }
}
