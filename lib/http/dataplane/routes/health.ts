// GET /api/v1/health: is this instance up and can it reach PostgreSQL? Load balancers and load
// tests call it constantly, so concurrent checks share one query and a fresh answer is reused.
import "server-only";
import type pg from "pg";
import { z } from "zod";
import { APP_VERSION } from "@/lib/config/env";
import { defineRoute } from "@/lib/http/dataplane/define-route";

const QUERY_TIMEOUT_MS = 1_000;
/** A cached "up" is never older than this (measured from when its query started). */
const FRESH_MS = 250;

const health = z.object({
  status: z.enum(["ok", "degraded"]),
  db: z.enum(["up", "down"]).describe("Whether PostgreSQL answered `select 1` within a second."),
  version: z.string(),
});

export const healthRoute = defineRoute({
  method: "GET",
  url: "/health",
  summary: "Health of this instance and its database",
  description: "200 when PostgreSQL answers within about a second, 503 otherwise. Needs no key.",
  tags: ["system"],
  auth: "none",
  responses: { 200: health, 503: health },
  handler: async ({ services }) => {
    const up = await probeFor(services.pool).check();
    return up
      ? { status: 200, body: { status: "ok", db: "up", version: APP_VERSION } }
      : { status: 503, body: { status: "degraded", db: "down", version: APP_VERSION } };
  },
});

/** One probe per pool, so two data planes on two databases never share an answer. */
const probes = new WeakMap<pg.Pool, DatabaseProbe>();

function probeFor(pool: pg.Pool): DatabaseProbe {
  let probe = probes.get(pool);
  if (!probe) probes.set(pool, (probe = new DatabaseProbe(pool)));
  return probe;
}

class DatabaseProbe {
  private last: { up: boolean; startedAt: number } | undefined;
  private inFlight: Promise<boolean> | undefined;
  /** A query that outlived its timeout still holds a connection; don't pile more on top of it. */
  private stuck = false;

  constructor(private readonly pool: pg.Pool) {}

  check(): Promise<boolean> {
    const now = performance.now();
    if (this.last && now - this.last.startedAt < FRESH_MS) return Promise.resolve(this.last.up);
    if (this.inFlight) return this.inFlight;
    if (this.stuck) return Promise.resolve(false);
    this.inFlight = this.run(now).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(startedAt: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    this.stuck = true;
    const query = this.pool
      .query("select 1")
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        this.stuck = false;
      });
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), QUERY_TIMEOUT_MS);
    });
    const up = await Promise.race([query, timeout]);
    clearTimeout(timer);
    this.last = { up, startedAt };
    return up;
  }
}
