// The data plane: a lean Fastify instance serving the agent API under /api/v1. Every answer it
// gives that is not a route's own is an RFC 9457 problem document, never an HTML page or a stack.
import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type pg from "pg";
import { pool as sharedPool } from "@/lib/db/pool";
import { AppError, ERRORS, PROBLEM_CONTENT_TYPE, problemFor, type ErrorCode } from "@/lib/http/errors";
import { mountRoutes, refuseAllAgents, type Authenticate, type Route } from "@/lib/http/dataplane/define-route";
import { routes as defaultRoutes } from "@/lib/http/dataplane/routes";

export interface DataPlaneOptions {
  /** Defaults to the shared pool of lib/db/pool.ts. */
  pool?: pg.Pool;
  /** Server-side logging (pino; errors and warnings only, no per-request lines). Default true. */
  logger?: boolean;
  /** Agent authentication for `auth: "agent"` routes. Defaults to refusing every request. */
  authenticate?: Authenticate;
  /** Defaults to the agent API's route list. */
  routes?: readonly Route[];
}

const BODY_LIMIT = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Details may quote the request's path; a hostile one must not make them huge. */
const MAX_PATH_IN_DETAIL = 200;

export function buildDataPlane(options: DataPlaneOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? true,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    requestIdHeader: false,
    genReqId: requestIdFor,
    frameworkErrors: (error, request, reply) => {
      reply.header("x-request-id", request.id);
      sendProblem(reply, request, error);
    },
  });

  // Only JSON bodies: without a text/plain parser Fastify answers 415 for anything else.
  app.removeContentTypeParser("text/plain");
  app.decorateRequest("agentCaller", null);
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    reply.header("cache-control", "no-store");
    done();
  });

  // Fastify reads the body of unknown routes too; a route that does not exist is the answer that
  // matters, not that its body was malformed.
  app.setErrorHandler((error, request, reply) => sendProblem(reply, request, request.is404 ? noRoute(request) : error));
  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, noRoute(request)));

  mountRoutes(app, options.routes ?? defaultRoutes, {
    services: { pool: options.pool ?? sharedPool() },
    authenticate: options.authenticate ?? refuseAllAgents,
  });
  return app;
}

function noRoute(request: FastifyRequest): AppError {
  const path = (request.raw.url ?? "").split("?", 1)[0]!.slice(0, MAX_PATH_IN_DETAIL);
  return new AppError("not_found", `No route ${request.method} ${path} in the agent API.`);
}

/** Keeps a caller's request id when it is safe to echo and log; otherwise makes one. */
function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, error: unknown): void {
  const translated = translate(error);
  if (!translated) {
    request.log.error({ err: error }, "unhandled error in the data plane");
  }
  const problem = problemFor(translated?.error ?? error, request.id);
  const status = translated?.status ?? problem.status;
  if (problem.code === "unauthorized") reply.header("www-authenticate", 'Bearer realm="mandate"');
  reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(status === problem.status ? problem : { ...problem, status });
}

const CODE_FOR_STATUS = new Map<number, ErrorCode>(
  (Object.entries(ERRORS) as [ErrorCode, { status: number }][])
    .filter(([code]) => code !== "invalid_json" && code !== "validation_failed")
    .map(([code, { status }]) => [status, code]),
);

const FASTIFY_ERRORS: Record<string, AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: new AppError("invalid_json", "The request body is not valid JSON."),
  FST_ERR_CTP_EMPTY_JSON_BODY: new AppError("invalid_json", "The request body is empty; send a JSON document."),
  FST_ERR_CTP_BODY_TOO_LARGE: new AppError("payload_too_large", `The request body is larger than ${BODY_LIMIT / 1024} KiB.`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json."),
};

/**
 * Our errors pass through; Fastify's own client errors become the matching problem (with their
 * real status even where our table has no code for it); anything else is unknown (a 500).
 */
function translate(error: unknown): { error: AppError; status?: number } | undefined {
  if (error instanceof AppError) return { error };
  const { code, statusCode, message } = (error ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof code === "string" && FASTIFY_ERRORS[code]) return { error: FASTIFY_ERRORS[code] };
  if (typeof statusCode !== "number" || statusCode < 400 || statusCode > 499) return undefined;
  const mapped = CODE_FOR_STATUS.get(statusCode) ?? "bad_request";
  // Fastify's messages are fixed texts about the request; other libraries' may reveal internals.
  const detail =
    typeof code === "string" && code.startsWith("FST_") && typeof message === "string"
      ? message.slice(0, MAX_PATH_IN_DETAIL)
      : ERRORS[mapped].title;
  return { error: new AppError(mapped, detail), status: statusCode };
}
