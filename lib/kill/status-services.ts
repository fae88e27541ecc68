// One status hub and one set of event streams per data-plane instance, keyed by the instance's
// pool (as lib/http/dataplane/agent-services.ts keys its caches), so two instances in one process —
// a test's — never share what they heard.
import "server-only";
import type pg from "pg";
import { changesListening, subscribeChanges } from "@/lib/db/notify";
import type { ChangeFeed } from "@/lib/decisions/agent-context-cache";
import { StatusHub, type StatusHubOptions } from "@/lib/kill/status-hub";
import { StatusStreams, type StatusStreamsOptions } from "@/lib/kill/status-streams";

export interface KillStatusServices {
  hub: StatusHub;
  streams: StatusStreams;
  close(): void;
}

export type KillStatusOptions = {
  /** Default: the process's change listener. */
  changes?: ChangeFeed;
} & Omit<StatusHubOptions, "pool" | "changes"> &
  Omit<StatusStreamsOptions, "hub" | "pool" | "changes">;

const PROCESS_CHANGES: ChangeFeed = { subscribe: subscribeChanges, listening: changesListening };
const byPool = new WeakMap<pg.Pool, KillStatusServices>();

/** The instance's status services; made with `options` the first time its pool is asked for. */
export function killStatusFor(pool: pg.Pool, options: KillStatusOptions = {}): KillStatusServices {
  const existing = byPool.get(pool);
  if (existing) return existing;
  const changes = options.changes ?? PROCESS_CHANGES;
  const hub = new StatusHub({ ...options, pool, changes });
  const streams = new StatusStreams({ ...options, hub, pool, changes });
  const services: KillStatusServices = {
    hub,
    streams,
    close() {
      if (byPool.get(pool) === services) byPool.delete(pool);
      streams.close();
      hub.close();
    },
  };
  byPool.set(pool, services);
  return services;
}

/** Ends the instance's streams and stops listening (a data plane shutting down, or a test's). */
export function closeKillStatus(pool: pg.Pool): void {
  byPool.get(pool)?.close();
}
