// The decision writer: every decision and its audit row are committed before the answer leaves
// (DESIGN.md §5), and many decisions share one commit (group commit, DESIGN.md §9).
//
// Batching needs no timer. An entry that finds a free flush slot is flushed at once; while the
// slots are busy, entries wait, and each slot that finishes takes everything waiting (up to
// maxBatch) into its next transaction. So an idle writer adds no latency and a busy one makes
// batches exactly as large as the load.
//
// Fail closed. enqueue() resolves only after COMMIT returned; any failure rejects every entry of
// the flush with DecisionWriteError, which the API answers as 503 — never as allow. If the
// database refuses an entry itself (a value it cannot store, a missing row), the batch is split
// until that entry alone is rejected, so one bad request cannot fail everybody's decisions.
//
// The kill guard (DESIGN.md §9: no decision that starts after a kill was answered is allowed, on
// any instance). Decisions are evaluated in memory against cached state, and the cache may not yet
// know of a kill. So each entry carries the versions it was decided on — agent.state_version,
// fleet_state.version, and those of delegating agents — and each flush, inside its transaction and
// before inserting, reads those rows again. An allow or pending whose versions no longer match,
// whose agent is no longer active, or that meets a stopped fleet is written (and answered) as deny
// `state_changed`, its checkpoint dropped. Why this leaves no window:
//   1. A kill (or suspend, retire, stop-all) is an UPDATE of the agent row (state_version + 1) or of
//      fleet_state (version + 1), and it is answered only after it committed.
//   2. A decision that starts after that answer is enqueued after that commit, so the flush that
//      carries it begins after the commit, and its read (a fresh READ COMMITTED snapshot per
//      statement) sees the new version — whatever any cache said. This holds for every change.
//   3. Flushes and kills are also ordered: a flush holds shared advisory locks on the fleet and its
//      agents from before its read until its commit, and a kill takes the exclusive lock first
//      (lockDecisionState, lock-decision-state.ts). A flush that locked first commits before the kill
//      can; one that comes later waits and then reads the killed state. Hence every allow in the log
//      committed before the kill did — the answer to "was anything allowed after the kill?" is no.
//      Advisory locks, not SELECT … FOR SHARE: see lock-decision-state.ts (FOR SHARE starved kills).
// Anything that must stop decisions therefore bumps one of those versions in its transaction, after
// lockDecisionState (a capability kill too: agent.state_version for one agent, fleet_state.version
// for all).
import "server-only";
import pg from "pg";
import { databaseUrl } from "@/lib/config/env";
import { DecisionWriteError, type DecisionEntry, type WrittenDecision } from "@/lib/decisions/decision-entry";
import { insertDecisions } from "@/lib/decisions/insert-decisions";
import { prepareEntry, type PreparedEntry } from "@/lib/decisions/prepare-entry";

export interface FlushInfo {
  size: number;
  rewritten: number;
  durationMs: number;
  ok: boolean;
}

export interface DecisionWriterOptions {
  pool: pg.Pool;
  /** End the pool on close(). */
  ownsPool?: boolean;
  /** Most entries per transaction; default 500. */
  maxBatch?: number;
  /** Concurrent flush transactions (each on its own connection); default 2. */
  maxInFlight?: number;
  /** Entries allowed to wait; beyond it enqueue() rejects at once with "overloaded". Default 10,000. */
  maxQueue?: number;
  onFlush?: (info: FlushInfo) => void;
}

export interface WriterStats {
  queued: number;
  inFlight: number;
  flushes: number;
  committed: number;
  rewritten: number;
  failedFlushes: number;
  overloaded: number;
  largestBatch: number;
}

export interface DecisionWriter {
  /** Resolves with the committed answer once the decision and its audit row are durable. */
  enqueue(entry: DecisionEntry): Promise<WrittenDecision>;
  stats(): WriterStats;
  /** Resolves when nothing is waiting or being written. */
  drain(): Promise<void>;
  /** Refuses new entries, writes what is waiting, then releases the pool if it owns it. */
  close(): Promise<void>;
}

interface Waiting {
  prepared: PreparedEntry;
  resolve: (written: WrittenDecision) => void;
  reject: (error: DecisionWriteError) => void;
}

export function createDecisionWriter(options: DecisionWriterOptions): DecisionWriter {
  const maxBatch = options.maxBatch ?? 500;
  const maxInFlight = options.maxInFlight ?? 2;
  const maxQueue = options.maxQueue ?? 10_000;
  const counters = { flushes: 0, committed: 0, rewritten: 0, failedFlushes: 0, overloaded: 0, largestBatch: 0 };
  let queue: Waiting[] = [];
  let inFlight = 0;
  let pumpScheduled = false;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const pump = () => {
    pumpScheduled = false;
    while (inFlight < maxInFlight && queue.length > 0) {
      // Waiting entries are shared among the free slots: two half batches run in parallel (their
      // inserts on two cores, their commits flushed together) rather than one after the other.
      const size = Math.min(maxBatch, Math.ceil(queue.length / (maxInFlight - inFlight)));
      const batch = queue.length <= size ? queue : queue.slice(0, size);
      queue = queue.length <= size ? [] : queue.slice(size);
      inFlight += 1;
      void flush(batch).finally(() => {
        inFlight -= 1;
        pump();
        if (inFlight === 0 && queue.length === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const wake of waiters) wake();
        }
      });
    }
  };

  const flush = async (batch: Waiting[]): Promise<void> => {
    const started = performance.now();
    counters.largestBatch = Math.max(counters.largestBatch, batch.length);
    try {
      const finals = await insertDecisions(
        options.pool,
        batch.map((waiting) => waiting.prepared),
      );
      let rewritten = 0;
      finals.forEach((final, index) => {
        const waiting = batch[index]!;
        if (final.rewritten) rewritten += 1;
        waiting.resolve({
          effect: final.effect,
          reason: final.reason,
          ruleId: final.ruleId,
          checkpointId: final.keepCheckpoint ? (waiting.prepared.entry.checkpoint?.id ?? null) : null,
          rewritten: final.rewritten,
        });
      });
      counters.flushes += 1;
      counters.committed += batch.length;
      counters.rewritten += rewritten;
      options.onFlush?.({ size: batch.length, rewritten, durationMs: performance.now() - started, ok: true });
    } catch (error) {
      counters.failedFlushes += 1;
      options.onFlush?.({ size: batch.length, rewritten: 0, durationMs: performance.now() - started, ok: false });
      if (refusedEntry(error) && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await flush(batch.slice(0, half));
        await flush(batch.slice(half));
        return;
      }
      const failure = refusedEntry(error) ? "rejected" : "unavailable";
      for (const waiting of batch) waiting.reject(new DecisionWriteError(failure, { cause: error }));
    }
  };

  const drain = () =>
    inFlight === 0 && queue.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));

  return {
    enqueue(entry) {
      if (closed) return Promise.reject(new DecisionWriteError("closed"));
      if (queue.length >= maxQueue) {
        counters.overloaded += 1;
        return Promise.reject(new DecisionWriteError("overloaded"));
      }
      let prepared: PreparedEntry;
      try {
        prepared = prepareEntry(entry);
      } catch (error) {
        return Promise.reject(error instanceof DecisionWriteError ? error : new DecisionWriteError("rejected", { cause: error }));
      }
      return new Promise<WrittenDecision>((resolve, reject) => {
        queue.push({ prepared, resolve, reject });
        // Entries enqueued in the same tick share the first flush instead of one going alone.
        if (!pumpScheduled) {
          pumpScheduled = true;
          queueMicrotask(pump);
        }
      });
    },
    stats: () => ({ ...counters, queued: queue.length, inFlight }),
    drain,
    async close() {
      closed = true;
      await drain();
      if (options.ownsPool) await options.pool.end();
    },
  };
}

/** The database refused the data (class 22 data exception, class 23 integrity violation), not the connection. */
function refusedEntry(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}

/** A pool for the writer alone, so console queries can never take its connections. */
export function createWriterPool(url: string, maxInFlight = 2): pg.Pool {
  const created = new pg.Pool({
    connectionString: url,
    max: maxInFlight,
    application_name: "mandate-decision-writer",
    connectionTimeoutMillis: 2_000,
    keepAlive: true,
    // Bounded waits, so a stuck flush fails (and its decisions are denied) instead of hanging,
    // and a stalled process cannot hold its row locks against a kill for long.
    lock_timeout: 3_000,
    statement_timeout: 10_000,
    idle_in_transaction_session_timeout: 10_000,
  });
  created.on("error", () => {});
  // pg-pool drops its own listener before it hands a client out, and a connection killed in that
  // instant (its error parsed in the same chunk as "ready") would crash the process unheard. The
  // query under way or the next one still fails, which fails the flush.
  created.on("connect", (client) => client.on("error", () => {}));
  return created;
}

const holder = globalThis as unknown as { __mandateDecisionWriter?: DecisionWriter };

/** The process's writer, on its own small pool. */
export function decisionWriter(): DecisionWriter {
  holder.__mandateDecisionWriter ??= createDecisionWriter({ pool: createWriterPool(databaseUrl()), ownsPool: true });
  return holder.__mandateDecisionWriter;
}

export async function closeDecisionWriter(): Promise<void> {
  const writer = holder.__mandateDecisionWriter;
  holder.__mandateDecisionWriter = undefined;
  await writer?.close();
}
