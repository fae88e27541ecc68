// The kill-switch poll's 304, answered in the one-port dispatcher before Fastify sees the request:
// the poll every running agent makes, mostly to hear "nothing changed". It uses the data plane's
// own key verifier and the instance's status hub, and answers only when the answer is a 304 from
// a cached, trusted status; anything else (another query, a body, a key it refuses, a status not
// cached, an ETag that does not match) goes to the Fastify route, which answers as it always did.
import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { FastifyRequest } from "fastify";
import type pg from "pg";
import type { AgentCaller, Authenticate } from "@/lib/http/dataplane/define-route";
import { etagMatches } from "@/lib/kill/agent-status";
import { killStatusFor } from "@/lib/kill/status-services";

/** Only the plain poll: `?wait=` long-polls and anything with a query string take the route. */
const STATUS_PATH = "/api/v1/agent/status";
/** The data plane's rule for echoing a caller's request id (lib/http/dataplane/app.ts, requestIdFor). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export type StatusFastPath = (req: IncomingMessage, res: ServerResponse, fallThrough: RequestListener) => void;

export interface StatusFastPathOptions {
  /** The data plane's `authenticate` (its per-instance key cache, revocations heard through NOTIFY). */
  authenticate: Authenticate;
  /** The data plane's pool: it names the instance's status hub (lib/kill/status-services.ts). */
  pool: pg.Pool;
}

/**
 * What the fast path's key check concluded for a request it passed on, so the data plane does not
 * verify the same key twice (a refused key would otherwise cost two database lookups).
 */
const checked = new WeakMap<IncomingMessage, Promise<AgentCaller>>();

/** The key check the fast path already made for this request, at most once; undefined when it made none. */
export function takeCheckedCaller(req: IncomingMessage): Promise<AgentCaller> | undefined {
  const outcome = checked.get(req);
  if (outcome) checked.delete(req);
  return outcome;
}

export function createStatusFastPath({ authenticate, pool }: StatusFastPathOptions): StatusFastPath {
  return (req, res, fallThrough) => {
    const known = req.headers["if-none-match"];
    if (req.url !== STATUS_PATH || req.method !== "GET" || !known || hasBody(req)) {
      fallThrough(req, res);
      return;
    }
    // agent-auth reads the Authorization header and keys its arrival times by the object it gets.
    const outcome = authenticate({ headers: req.headers } as FastifyRequest);
    let passed = false;
    const pass = () => {
      passed = true;
      // The route answers the rest, a refusal included (401, or 503 when keys cannot be checked), as it always did.
      checked.set(req, outcome);
      fallThrough(req, res);
    };
    outcome
      .then((caller) => {
        const view = killStatusFor(pool).hub.peek(caller.agentId);
        if (!view || !etagMatches(known, view.etag)) return pass();
        res.writeHead(304, { "x-request-id": requestIdOf(req), "cache-control": "no-store", etag: view.etag });
        res.end();
      }, pass)
      .catch(() => {
        // Never an unhandled rejection on the request path: whatever failed, the route still answers.
        if (!passed && !res.headersSent) pass();
        else if (!res.writableEnded) res.destroy();
      });
  };
}

function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}
