// Per-instance fan-out of agents' kill-switch status. The status of each agent asked about is
// cached here (agent row + fleet row → the serialized view), so the poll's 304 path touches no
// database; the instance's one LISTEN connection (lib/db/notify.ts) keeps it honest. Long-polls and
// event streams register as listeners of their agent; an "agent" change reloads that agent once,
// a "fleet" change reloads the fleet row once, and each listener whose ETag changed is told —
// one query per change per instance, whatever the number of connections.
//
// Races: every load carries a ticket (the entry's sequence number); an invalidation bumps it, so a
// load that read the database before a change committed cannot store its result after the change's
// invalidation. While the listener is down nothing cached is trusted, and listeners are refreshed
// on a short timer instead.
import "server-only";
import type pg from "pg";
import type { ChangeMessage } from "@/lib/db/notify";
import type { ChangeFeed } from "@/lib/decisions/agent-context-cache";
import { AppError } from "@/lib/http/errors";
import { composeStatus, loadAgentStates, loadFleetState, type AgentStateRow, type FleetRow, type StatusView } from "@/lib/kill/agent-status";

export interface StatusListener {
  /** The ETag this listener holds; the hub sets it to the new one before calling `changed`. */
  etag: string;
  /** A new view, or null when the agent no longer exists. */
  changed(view: StatusView | null): void;
}

export interface StatusHubOptions {
  pool: Pick<pg.Pool, "query">;
  changes: ChangeFeed;
  /** Safety net for an entry nobody listens to; default 10 s. */
  ttlMs?: number;
  maxEntries?: number;
  /** While the change listener is down, listened agents are re-read this often (and failed loads retried); default 1 s. */
  fallbackPollMs?: number;
  /** Long-polls and streams one agent may hold open on this instance; default 1,000. */
  maxListenersPerAgent?: number;
}

interface Entry {
  id: string;
  /** undefined: not loaded (or invalidated); null: no such agent. */
  row: AgentStateRow | null | undefined;
  seq: number;
  loading: Promise<AgentStateRow | null> | null;
  storedAt: number;
  memo: StatusView | null;
  memoFleet: FleetRow | null;
  listeners: Set<StatusListener> | null;
}

const BATCH = 1_000;

export class StatusHub {
  private readonly entries = new Map<string, Entry>();
  private fleet: FleetRow | undefined;
  private fleetSeq = 0;
  private fleetLoading: Promise<FleetRow> | null = null;
  private fleetStoredAt = 0;
  private listened = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxListenersPerAgent: number;
  private readonly unsubscribe: () => void;
  private readonly fallback: NodeJS.Timeout;

  constructor(private readonly options: StatusHubOptions) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.maxListenersPerAgent = options.maxListenersPerAgent ?? 1_000;
    this.unsubscribe = options.changes.subscribe((message) => this.onChange(message));
    // While the listener is down: re-read every listened agent. Otherwise: retry the loads that failed
    // (a database blip must not leave a stream without the kill it was reloading for).
    this.fallback = setInterval(() => this.refreshListened(), options.fallbackPollMs ?? 1_000);
    this.fallback.unref();
  }

  /** The cached view when it can be trusted, without a promise: the poll's hot path. */
  peek(agentId: string): StatusView | undefined {
    const entry = this.entries.get(agentId);
    if (!entry?.row || !this.trusted(entry) || !this.fleetTrusted()) return undefined;
    return this.memo(entry, entry.row, this.fleet!);
  }

  /** The agent's current view (null: no such agent); loads what is not cached. */
  async view(agentId: string): Promise<StatusView | null> {
    const cached = this.peek(agentId);
    if (cached) return cached;
    const entry = this.entryFor(agentId);
    const [row, fleet] = await Promise.all([this.rowOf(entry), this.fleetRow()]);
    if (!row) return null;
    return entry.row === row ? this.memo(entry, row, fleet) : composeStatus(row, fleet);
  }

  /** Tells `listener` of every change of the agent's view until the returned function is called. */
  listen(agentId: string, listener: StatusListener): () => void {
    const entry = this.entryFor(agentId);
    if ((entry.listeners?.size ?? 0) >= this.maxListenersPerAgent) {
      throw new AppError("too_many_requests", `At most ${this.maxListenersPerAgent} status waits and streams may be open per agent; hold one stream per process.`);
    }
    (entry.listeners ??= new Set()).add(listener);
    this.listened += 1;
    if (entry.row === undefined && !entry.loading) this.loadAgents([agentId]).catch(() => undefined);
    if (this.fleet === undefined && !this.fleetLoading) this.loadFleet().catch(() => undefined);
    // Registered after its caller read a view: a change that landed in between is told at once.
    if (entry.row !== undefined && this.fleet !== undefined) queueMicrotask(() => this.publish(entry));
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.listened -= 1;
      entry.listeners?.delete(listener);
      if (entry.listeners?.size === 0) entry.listeners = null;
    };
  }

  listenerCount(agentId?: string): number {
    return agentId === undefined ? this.listened : (this.entries.get(agentId)?.listeners?.size ?? 0);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.fallback);
  }

  private onChange(message: ChangeMessage): void {
    if (message.kind === "resync") {
      this.invalidateFleet();
      for (const entry of this.entries.values()) this.invalidate(entry);
      this.refreshListened();
    } else if (message.kind === "fleet") {
      this.invalidateFleet();
      if (this.listened > 0) this.loadFleet().catch(() => undefined);
    } else if (message.kind === "agent" || message.kind === "capability") {
      const agentId = (message.agentId ?? (message.kind === "agent" ? message.id : undefined))?.toLowerCase();
      // A capability kill for every agent bumps the fleet version (and one for an agent, its own).
      if (message.kind === "capability") this.invalidateFleet();
      if (agentId) {
        const entry = this.entries.get(agentId);
        if (entry) this.invalidate(entry);
      } else if (message.kind === "agent") {
        for (const entry of this.entries.values()) this.invalidate(entry);
      }
      this.refreshListened(agentId);
    }
  }

  /** Re-reads the fleet (when dropped) and the listened agents that were dropped — one query per 1,000. */
  private refreshListened(onlyAgentId?: string): void {
    if (this.listened === 0) return;
    const stale: string[] = [];
    for (const entry of onlyAgentId ? [this.entries.get(onlyAgentId)] : this.entries.values()) {
      if (!entry?.listeners) continue;
      if (!this.options.changes.listening()) this.invalidate(entry);
      if (entry.row === undefined && !entry.loading) stale.push(entry.id);
    }
    if (!this.options.changes.listening()) this.invalidateFleet();
    if (this.fleet === undefined && !this.fleetLoading) this.loadFleet().catch(() => undefined);
    for (let start = 0; start < stale.length; start += BATCH) this.loadAgents(stale.slice(start, start + BATCH)).catch(() => undefined);
  }

  private invalidate(entry: Entry): void {
    entry.seq += 1;
    entry.row = undefined;
    entry.loading = null;
    entry.memo = null;
  }

  private invalidateFleet(): void {
    this.fleetSeq += 1;
    this.fleet = undefined;
    this.fleetLoading = null;
  }

  private trusted(entry: Entry): boolean {
    return this.options.changes.listening() && (entry.listeners !== null || Date.now() - entry.storedAt < this.ttlMs);
  }

  private fleetTrusted(): boolean {
    return this.fleet !== undefined && this.options.changes.listening() && (this.listened > 0 || Date.now() - this.fleetStoredAt < this.ttlMs);
  }

  private rowOf(entry: Entry): Promise<AgentStateRow | null> {
    if (entry.row !== undefined && this.trusted(entry)) return Promise.resolve(entry.row);
    // Concurrent reads share one load, also while nothing cached is trusted (the listener is down).
    if (!entry.loading) this.loadAgents([entry.id]).catch(() => undefined);
    return entry.loading!;
  }

  private fleetRow(): Promise<FleetRow> {
    if (this.fleetTrusted()) return Promise.resolve(this.fleet!);
    if (!this.fleetLoading) this.loadFleet().catch(() => undefined);
    return this.fleetLoading!;
  }

  /** One query for these agents; each entry's `loading` is set before this returns. */
  private loadAgents(ids: readonly string[]): Promise<void> {
    const tickets = ids.map((id) => {
      const entry = this.entryFor(id);
      entry.seq += 1;
      return { entry, seq: entry.seq };
    });
    const query = loadAgentStates(this.options.pool, ids);
    for (const { entry } of tickets) {
      entry.loading = query.then((rows) => rows.get(entry.id) ?? null);
      entry.loading.catch(() => undefined);
    }
    return query.then(
      (rows) => {
        const now = Date.now();
        for (const { entry, seq } of tickets) {
          if (entry.seq !== seq) continue;
          entry.row = rows.get(entry.id) ?? null;
          entry.storedAt = now;
          entry.loading = null;
          entry.memo = null;
          this.publish(entry);
        }
      },
      (error: unknown) => {
        for (const { entry, seq } of tickets) if (entry.seq === seq) entry.loading = null;
        throw error;
      },
    );
  }

  private loadFleet(): Promise<FleetRow> {
    const seq = ++this.fleetSeq;
    const loading = loadFleetState(this.options.pool).then(
      (fleet) => {
        if (this.fleetSeq === seq) {
          this.fleet = fleet;
          this.fleetStoredAt = Date.now();
          this.fleetLoading = null;
          if (this.listened > 0) for (const entry of this.entries.values()) if (entry.listeners) this.publish(entry);
        }
        return fleet;
      },
      (error: unknown) => {
        if (this.fleetSeq === seq) this.fleetLoading = null;
        throw error;
      },
    );
    this.fleetLoading = loading;
    return loading;
  }

  private publish(entry: Entry): void {
    if (!entry.listeners || entry.row === undefined || this.fleet === undefined) return;
    const view = entry.row ? this.memo(entry, entry.row, this.fleet) : null;
    for (const listener of entry.listeners) {
      if (view && listener.etag === view.etag) continue;
      if (view) listener.etag = view.etag;
      try {
        listener.changed(view);
      } catch {
        // One broken connection must not keep the others from hearing the change.
      }
    }
  }

  private memo(entry: Entry, row: AgentStateRow, fleet: FleetRow): StatusView {
    if (!entry.memo || entry.memoFleet !== fleet) {
      entry.memo = composeStatus(row, fleet);
      entry.memoFleet = fleet;
    }
    return entry.memo;
  }

  private entryFor(id: string): Entry {
    let entry = this.entries.get(id);
    if (entry) return entry;
    entry = { id, row: undefined, seq: 0, loading: null, storedAt: 0, memo: null, memoFleet: null, listeners: null };
    this.entries.set(id, entry);
    if (this.entries.size > this.maxEntries) this.evict();
    return entry;
  }

  /** Oldest first, never an entry someone listens to or loads. */
  private evict(): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries * 0.9) break;
      if (!entry.listeners && !entry.loading) this.entries.delete(id);
    }
  }
}
