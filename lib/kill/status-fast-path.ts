// The kill-switch poll's 304, answered in the one-port dispatcher before Fastify sees the request:
// the poll every running agent makes, mostly to hear "nothing changed". It uses the data plane's
// own key verifier and the instance's status hub, and answers only when the answer is a 304 from
// a cached, trusted status; anything else (another query, a body, a key it refuses, a status not
// cached, an ETag that does not match) goes to the Fastify route, which answers as it always did.
// Connections usually meet lib/server/status-socket-path.ts first: what it hands over lands here.
import "server-only";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyRequest } from "fastify";
import type pg from "pg";
import type { AgentCaller, Authenticate } from "@/lib/http/dataplane/define-route";
import { STATUS_PATH, notModifiedEtag, requestIdFor } from "@/lib/kill/status-not-modified";

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

interface HandedOverCheck {
  authorization: string;
  outcome: Promise<AgentCaller>;
}

/** Key checks the connection-level path made for the one request it handed node:http with the socket. */
const handedOver = new WeakMap<Socket, HandedOverCheck>();

/**
 * Called by the connection-level path as it hands node:http a socket whose (single, complete)
 * request it already checked the key of: the next request read on that socket reuses the outcome,
 * so a refused key still costs one check, as it does without that path.
 */
export function handOverCheckedKey(socket: Socket, authorization: string, outcome: Promise<AgentCaller>): void {
  handedOver.set(socket, { authorization, outcome });
}

/** The handed-over check, for the first request read on its socket only, and only for the same key. */
function takeHandedOverCheck(req: IncomingMessage): Promise<AgentCaller> | undefined {
  const carried = handedOver.get(req.socket);
  if (!carried) return undefined;
  handedOver.delete(req.socket);
  return carried.authorization === req.headers.authorization ? carried.outcome : undefined;
}

export function createStatusFastPath({ authenticate, pool }: StatusFastPathOptions): StatusFastPath {
  return (req, res, fallThrough) => {
    const handedOverCheck = takeHandedOverCheck(req);
    const known = req.headers["if-none-match"];
    if (req.url !== STATUS_PATH || req.method !== "GET" || !known || hasBody(req)) {
      fallThrough(req, res);
      return;
    }
    // agent-auth reads the Authorization header and keys its arrival times by the object it gets.
    const outcome = handedOverCheck ?? authenticate({ headers: req.headers } as FastifyRequest);
    let passed = false;
    const pass = () => {
      passed = true;
      // The route answers the rest, a refusal included (401, or 503 when keys cannot be checked), as it always did.
      checked.set(req, outcome);
      fallThrough(req, res);
    };
    outcome
      .then((caller) => {
        const etag = notModifiedEtag(pool, caller.agentId, known);
        if (!etag) return pass();
        res.writeHead(304, { "x-request-id": requestIdFor(req.headers["x-request-id"]), "cache-control": "no-store", etag });
        res.end();
      }, pass)
      .catch(() => {
        // Never an unhandled rejection on the request path: whatever failed, the route still answers.
        if (!passed && !res.headersSent) pass();
        else if (!res.writableEnded) res.destroy();
      });
  };
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}
