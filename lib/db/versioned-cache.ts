// A per-instance read-through cache for the decision hot path (agents, keys, lists). It is kept
// honest by change notifications (lib/db/notify.ts): invalidate(key) on a change, clear() on a
// resync. The one subtle part is the race between a load and an invalidation: a load that read the
// database before a change committed must not put its (old) value into the cache after the change's
// invalidation ran. Every load therefore holds a ticket, and only the load whose ticket is still
// the current one for its key — not invalidated, not cleared since it started — may store.
// No `server-only`: pure code, used by scripts and unit tests as well.

export interface VersionedCacheOptions {
  /** Most entries kept; the least recently used goes first. Default 10,000. */
  maxSize?: number;
  /** Safety net in case a notification is lost: an entry older than this is loaded again. Default 30 s; 0 = never. */
  ttlMs?: number;
  /** While this answers true, every get() loads (concurrent loads still share) and nothing is stored — e.g. while the change listener is down. */
  bypass?: () => boolean;
  /** The clock, for tests. */
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Loads whose value was dropped because the key was invalidated (or the cache cleared) meanwhile. */
  discarded: number;
  evictions: number;
  size: number;
}

interface Entry<V> {
  value: V;
  storedAt: number;
}

interface Flight<V> {
  ticket: number;
  promise: Promise<V>;
}

export class VersionedCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly flights = new Map<K, Flight<V>>();
  private readonly maxSize: number;
  private readonly ttlMs: number;
  private readonly bypass: () => boolean;
  private readonly now: () => number;
  /** Strictly increasing: a ticket is never reused, so a stale load cannot match a newer flight. */
  private generation = 0;
  private readonly counters = { hits: 0, misses: 0, discarded: 0, evictions: 0 };

  constructor(options: VersionedCacheOptions = {}) {
    this.maxSize = Math.max(1, options.maxSize ?? 10_000);
    this.ttlMs = options.ttlMs ?? 30_000;
    this.bypass = options.bypass ?? (() => false);
    this.now = options.now ?? Date.now;
  }

  /** The cached value, or the one `loader` produces; concurrent misses of one key share one load. */
  get(key: K, loader: (key: K) => Promise<V>): Promise<V> {
    const bypassing = this.bypass();
    if (!bypassing) {
      const entry = this.entries.get(key);
      if (entry && !this.expired(entry)) {
        this.counters.hits += 1;
        // Re-insertion moves the key to the young end of the Map's order (our LRU list).
        this.entries.delete(key);
        this.entries.set(key, entry);
        return Promise.resolve(entry.value);
      }
      if (entry) this.entries.delete(key);
    }
    this.counters.misses += 1;
    const flight = this.flights.get(key);
    if (flight) return flight.promise;
    return this.load(key, loader, bypassing);
  }

  /** Drops one key, and makes any load of it already under way unable to store its result. */
  invalidate(key: K): void {
    this.entries.delete(key);
    this.flights.delete(key);
  }

  /** Drops every key for which `match` holds (e.g. all keys of one agent). */
  invalidateWhere(match: (key: K, value: V | undefined) => boolean): void {
    for (const [key, entry] of this.entries) if (match(key, entry.value)) this.entries.delete(key);
    for (const key of this.flights.keys()) if (match(key, undefined)) this.flights.delete(key);
  }

  /** Drops everything, including loads under way (after a resync: changes may have been missed). */
  clear(): void {
    this.entries.clear();
    this.flights.clear();
  }

  /** The stored value without loading or touching recency; undefined when absent or expired. */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    return entry && !this.expired(entry) ? entry.value : undefined;
  }

  stats(): CacheStats {
    return { ...this.counters, size: this.entries.size };
  }

  private load(key: K, loader: (key: K) => Promise<V>, bypassing: boolean): Promise<V> {
    this.generation += 1;
    const ticket = this.generation;
    const started = Promise.resolve().then(() => loader(key));
    const flight: Flight<V> = { ticket, promise: started };
    this.flights.set(key, flight);
    started.then(
      (value) => {
        if (this.flights.get(key)?.ticket !== ticket) {
          this.counters.discarded += 1;
          return;
        }
        this.flights.delete(key);
        if (bypassing || this.bypass()) return;
        this.store(key, value);
      },
      () => {
        // Failures are not cached; the next get() tries again.
        if (this.flights.get(key)?.ticket === ticket) this.flights.delete(key);
      },
    );
    return started;
  }

  private store(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    while (this.entries.size > this.maxSize) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
      this.counters.evictions += 1;
    }
  }

  private expired(entry: Entry<V>): boolean {
    return this.ttlMs > 0 && this.now() - entry.storedAt >= this.ttlMs;
  }
}
