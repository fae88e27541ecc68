// The rules of the kill-switch poll's 304 that the paths answering it ahead of the Fastify route
// share (lib/kill/status-fast-path.ts per request, lib/server/status-socket-path.ts per
// connection), so each of them answers exactly the route's 304 or nothing at all.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { etagMatches } from "@/lib/kill/agent-status";
import { killStatusFor } from "@/lib/kill/status-services";

/** Only the plain poll: `?wait=` long-polls and anything with a query string take the route. */
export const STATUS_PATH = "/api/v1/agent/status";

/** The data plane's rule for echoing a caller's request id (lib/http/dataplane/app.ts, requestIdFor). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The route's decision for the plain poll (lib/http/dataplane/routes/agent-status.ts), from what the
 * instance's status hub holds and trusts: the ETag to answer 304 with; null when the answer is
 * anything else (the route sends the status); undefined when the hub holds nothing it trusts.
 */
export function notModifiedEtag(pool: pg.Pool, agentId: string, ifNoneMatch: string): string | null | undefined {
  const view = killStatusFor(pool).hub.peek(agentId);
  if (!view) return undefined;
  return etagMatches(ifNoneMatch, view.etag) ? view.etag : null;
}

/**
 * The same decision once the hub has loaded the status, as the route loads it on a miss (entries
 * nobody listens to are trusted for seconds only). Rejects when the status cannot be read.
 */
export async function loadNotModifiedEtag(pool: pg.Pool, agentId: string, ifNoneMatch: string): Promise<string | null> {
  const view = await killStatusFor(pool).hub.view(agentId);
  return view && etagMatches(ifNoneMatch, view.etag) ? view.etag : null;
}
