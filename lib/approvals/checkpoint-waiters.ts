// Agents long-polling their checkpoints (GET /checkpoints/:id?wait=) wait here, in memory, one
// map per process; the change notifications of lib/db/notify.ts (one LISTEN connection per
// instance) wake them. A wake only means "read again": the database stays the one truth, so a
// spurious or duplicated wake costs a read and a missed one is caught by the next (see the
// route). Wakes: a change of that checkpoint, a change of its agent's checkpoints that names no
// one checkpoint or of its agent's state (kill, suspend and retire cancel checkpoints by agent),
// and a resync after the listener reconnected.
import "server-only";
import { changesListening, subscribeChanges, type ChangeHandler, type ChangeMessage } from "@/lib/db/notify";
import { AppError } from "@/lib/http/errors";

/** Where change notifications come from: the process's listener, or a test's own. */
export interface ChangeSource {
  subscribe(handler: ChangeHandler): () => void;
  /** False while notifications may be missed; waiters then re-read on a short timer. */
  listening(): boolean;
}

export const processChanges: ChangeSource = { subscribe: subscribeChanges, listening: changesListening };

export const DEFAULT_MAX_WAITERS_PER_AGENT = 100;

export interface Waiter {
  /** Resolves on the next wake since the last call (at once if one came meanwhile), or after `ms`. */
  next(ms: number): Promise<"woken" | "timeout">;
  wake(): void;
  release(): void;
}

interface Entry {
  agentId: string;
  checkpointId: string;
  woken: boolean;
  resolve: (() => void) | null;
}

export class CheckpointWaiters {
  private readonly byCheckpoint = new Map<string, Set<Entry>>();
  private readonly byAgent = new Map<string, Set<Entry>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: ChangeSource = processChanges,
    private readonly maxPerAgent: number = DEFAULT_MAX_WAITERS_PER_AGENT,
  ) {}

  listening(): boolean {
    return this.source.listening();
  }

  /** Registers a waiter; too_many_requests when the agent already holds the most allowed. */
  register(agentId: string, checkpointId: string): Waiter {
    const own = this.byAgent.get(agentId);
    if (own && own.size >= this.maxPerAgent) {
      throw new AppError("too_many_requests", `At most ${this.maxPerAgent} checkpoint waits may be open per agent; wait on fewer at once.`);
    }
    const entry: Entry = { agentId, checkpointId, woken: false, resolve: null };
    add(this.byAgent, agentId, entry);
    add(this.byCheckpoint, checkpointId, entry);
    // Subscribed only while someone waits, so an idle instance holds no handler.
    this.unsubscribe ??= this.source.subscribe((message) => this.onChange(message));

    let released = false;
    return {
      next: (ms) => {
        if (entry.woken) {
          entry.woken = false;
          return Promise.resolve("woken");
        }
        return new Promise((resolve) => {
          const timer = setTimeout(() => {
            entry.resolve = null;
            resolve("timeout");
          }, Math.max(0, ms));
          entry.resolve = () => {
            clearTimeout(timer);
            entry.resolve = null;
            entry.woken = false;
            resolve("woken");
          };
        });
      },
      wake: () => wakeEntry(entry),
      release: () => {
        if (released) return;
        released = true;
        remove(this.byAgent, agentId, entry);
        remove(this.byCheckpoint, checkpointId, entry);
        entry.resolve?.();
        if (this.byAgent.size === 0 && this.unsubscribe) {
          this.unsubscribe();
          this.unsubscribe = null;
        }
      },
    };
  }

  /** Waiters currently registered (for tests and metrics). */
  size(): number {
    let total = 0;
    for (const entries of this.byAgent.values()) total += entries.size;
    return total;
  }

  private onChange(message: ChangeMessage): void {
    if (message.kind === "resync") return this.wakeAll();
    if (message.kind !== "checkpoint" && message.kind !== "agent") return;
    // A change naming its checkpoint wakes that checkpoint's waiters only: with many waits open
    // for one agent, waking them all on each vote would turn every decision into a read per wait.
    if (message.kind === "checkpoint" && message.id) {
      this.byCheckpoint.get(message.id)?.forEach(wakeEntry);
      return;
    }
    if (message.agentId) this.byAgent.get(message.agentId)?.forEach(wakeEntry);
    // A checkpoint change naming neither: someone changed many at once.
    if (message.kind === "checkpoint" && !message.id && !message.agentId) this.wakeAll();
  }

  private wakeAll(): void {
    for (const entries of this.byAgent.values()) entries.forEach(wakeEntry);
  }
}

function wakeEntry(entry: Entry): void {
  entry.woken = true;
  entry.resolve?.();
}

function add(map: Map<string, Set<Entry>>, key: string, entry: Entry): void {
  const set = map.get(key);
  if (set) set.add(entry);
  else map.set(key, new Set([entry]));
}

function remove(map: Map<string, Set<Entry>>, key: string, entry: Entry): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(entry);
  if (set.size === 0) map.delete(key);
}
