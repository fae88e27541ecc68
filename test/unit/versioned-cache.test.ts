import { describe, expect, it } from "vitest";
import { VersionedCache } from "@/lib/db/versioned-cache";

/** A load the test finishes by hand, to interleave it with invalidations. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function countingLoader(value: (key: string) => string = (key) => `${key}@1`) {
  const calls: string[] = [];
  const loader = async (key: string) => {
    calls.push(key);
    return value(key);
  };
  return { calls, loader };
}

describe("VersionedCache", () => {
  it("serves a stored value without loading again", async () => {
    const cache = new VersionedCache<string, string>();
    const { calls, loader } = countingLoader();
    expect(await cache.get("a", loader)).toBe("a@1");
    expect(await cache.get("a", loader)).toBe("a@1");
    expect(calls).toEqual(["a"]);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it("lets concurrent misses of one key share a single load", async () => {
    const cache = new VersionedCache<string, string>();
    const gate = deferred<string>();
    let loads = 0;
    const loader = () => {
      loads += 1;
      return gate.promise;
    };
    const waiting = Array.from({ length: 50 }, () => cache.get("k", loader));
    await Promise.resolve();
    gate.resolve("v");
    expect(await Promise.all(waiting)).toEqual(Array(50).fill("v"));
    expect(loads).toBe(1);
    expect(cache.peek("k")).toBe("v");
  });

  it("does not store a load that started before an invalidation of its key", async () => {
    const cache = new VersionedCache<string, string>();
    const old = deferred<string>();
    const first = cache.get("agent", () => old.promise);
    // The change commits and its notification arrives while the first load is still reading.
    cache.invalidate("agent");
    const fresh = cache.get("agent", async () => "new");
    expect(await fresh).toBe("new");
    old.resolve("old");
    // The caller that asked before the change may see the old value; the cache must not keep it.
    expect(await first).toBe("old");
    expect(cache.peek("agent")).toBe("new");
    expect(await cache.get("agent", async () => "unexpected load")).toBe("new");
    expect(cache.stats().discarded).toBe(1);
  });

  it("does not store a load that started before clear()", async () => {
    const cache = new VersionedCache<string, string>();
    const old = deferred<string>();
    const first = cache.get("a", () => old.promise);
    cache.clear();
    old.resolve("old");
    await first;
    expect(cache.peek("a")).toBeUndefined();
    const { calls, loader } = countingLoader();
    expect(await cache.get("a", loader)).toBe("a@1");
    expect(calls).toEqual(["a"]);
  });

  it("starts a new load after an invalidation instead of joining the stale one", async () => {
    const cache = new VersionedCache<string, string>();
    const old = deferred<string>();
    void cache.get("a", () => old.promise);
    cache.invalidate("a");
    const { calls, loader } = countingLoader();
    expect(await cache.get("a", loader)).toBe("a@1");
    expect(calls).toEqual(["a"]);
    old.resolve("stale");
  });

  it("invalidates a stored key", async () => {
    const cache = new VersionedCache<string, string>();
    await cache.get("a", async () => "1");
    cache.invalidate("a");
    expect(cache.peek("a")).toBeUndefined();
    expect(await cache.get("a", async () => "2")).toBe("2");
  });

  it("invalidates every key a predicate selects, stored or loading", async () => {
    const cache = new VersionedCache<string, string>();
    await cache.get("agent1:key1", async () => "x");
    await cache.get("agent1:key2", async () => "y");
    await cache.get("agent2:key1", async () => "z");
    const loading = deferred<string>();
    const pending = cache.get("agent1:key3", () => loading.promise);
    cache.invalidateWhere((key) => key.startsWith("agent1:"));
    loading.resolve("old");
    await pending;
    expect(cache.peek("agent1:key1")).toBeUndefined();
    expect(cache.peek("agent1:key2")).toBeUndefined();
    expect(cache.peek("agent1:key3")).toBeUndefined();
    expect(cache.peek("agent2:key1")).toBe("z");
  });

  it("evicts the least recently used key beyond its size", async () => {
    const cache = new VersionedCache<string, string>({ maxSize: 3 });
    const { calls, loader } = countingLoader();
    for (const key of ["a", "b", "c"]) await cache.get(key, loader);
    await cache.get("a", loader); // a is now the most recent; b the least
    await cache.get("d", loader);
    expect(cache.peek("b")).toBeUndefined();
    expect(["a", "c", "d"].map((key) => cache.peek(key))).toEqual(["a@1", "c@1", "d@1"]);
    expect(cache.stats()).toMatchObject({ size: 3, evictions: 1 });
    expect(calls).toEqual(["a", "b", "c", "d"]);
  });

  it("loads again after the TTL", async () => {
    let now = 1_000;
    const cache = new VersionedCache<string, number>({ ttlMs: 30_000, now: () => now });
    let version = 0;
    const loader = async () => (version += 1);
    expect(await cache.get("a", loader)).toBe(1);
    now += 29_999;
    expect(await cache.get("a", loader)).toBe(1);
    now += 1;
    expect(await cache.get("a", loader)).toBe(2);
  });

  it("does not cache failures, and shares a failure among concurrent callers", async () => {
    const cache = new VersionedCache<string, string>();
    let loads = 0;
    const failing = async () => {
      loads += 1;
      throw new Error("database down");
    };
    const results = await Promise.allSettled([cache.get("a", failing), cache.get("a", failing)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(loads).toBe(1);
    expect(await cache.get("a", async () => "ok")).toBe("ok");
  });

  it("stores nothing while bypassed, but still shares concurrent loads", async () => {
    let bypass = true;
    const cache = new VersionedCache<string, string>({ bypass: () => bypass });
    let loads = 0;
    const loader = async () => `v${(loads += 1)}`;
    expect(await Promise.all([cache.get("a", loader), cache.get("a", loader)])).toEqual(["v1", "v1"]);
    expect(await cache.get("a", loader)).toBe("v2");
    expect(cache.stats().size).toBe(0);
    bypass = false;
    expect(await cache.get("a", loader)).toBe("v3");
    expect(await cache.get("a", loader)).toBe("v3");
  });

  it("turns a loader that throws synchronously into a rejection", async () => {
    const cache = new VersionedCache<string, string>();
    await expect(
      cache.get("a", () => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
  });
});
