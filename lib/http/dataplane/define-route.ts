// The one way an agent-API route is declared. A route is data (method, url, zod schemas, auth
// mode) plus a handler; the data plane mounts it and the OpenAPI generator documents it from the
// same object, so nothing is written twice. Parsing is a plain zod safeParse per request part:
// no plugin, no per-request compilation, on a path that serves thousands of requests a second.
import "server-only";
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import type pg from "pg";
import type { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { AppError, fieldsFromZod } from "@/lib/http/errors";

/** Every data-plane route lives under this prefix; route urls are written relative to it. */
export const API_PREFIX = "/api/v1";

export type RouteMethod = Extract<HTTPMethods, "GET" | "POST" | "PUT" | "PATCH" | "DELETE">;
export type AuthMode = "none" | "agent";

/** The agent a request was authenticated as (issue 4 fills it from the bearer key). */
export interface AgentCaller {
  agentId: string;
  credentialId: string;
}

/**
 * Turns a request into its calling agent, or throws AppError("unauthorized"). It runs before the
 * body is read, so an unauthenticated caller cannot make us parse anything.
 */
export type Authenticate = (request: FastifyRequest) => Promise<AgentCaller>;

/** What handlers may use besides the request: passed in by buildDataPlane, never imported globally. */
export interface DataPlaneServices {
  pool: pg.Pool;
}

declare module "fastify" {
  interface FastifyRequest {
    agentCaller: AgentCaller | null;
  }
}

type ObjectSchema = z.ZodObject;
export type ResponseSchemas = { [status: number]: z.ZodType };
type StatusOf<R> = Extract<keyof R, number>;
type Headers = Record<string, string>;

/** What a handler returns: a declared status with a body of that status's schema, or JSON it already serialized. */
export type RouteResult<R extends ResponseSchemas> = {
  [S in StatusOf<R>]: { status: S; body: z.input<R[S]>; headers?: Headers } | { status: S; json: string; headers?: Headers };
}[StatusOf<R>];

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<Q, P, B, A extends AuthMode> {
  query: Parsed<Q>;
  params: Parsed<P>;
  body: Parsed<B>;
  requestId: string;
  services: DataPlaneServices;
  /** The calling agent and its audit actor: present exactly on `auth: "agent"` routes. */
  agent: A extends "agent" ? AgentCaller : undefined;
  actor: A extends "agent" ? Actor : undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<Q, P, B, R extends ResponseSchemas, A extends AuthMode, H extends RouteResult<R> = RouteResult<R>> {
  method: RouteMethod;
  /** Relative to /api/v1, Fastify syntax for path parameters: "/checkpoints/:id". */
  url: string;
  summary: string;
  description?: string;
  tags?: string[];
  auth: A;
  query?: Q;
  params?: P;
  body?: B;
  responses: R;
  handler: (ctx: RouteContext<Q, P, B, A>) => H | Promise<H>;
}

/** A declared route with its types erased, as kept in the route list. */
export interface Route {
  readonly method: RouteMethod;
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly auth: AuthMode;
  readonly schemas: { query?: ObjectSchema; params?: ObjectSchema; body?: z.ZodType; responses: ResponseSchemas };
  readonly handle: (request: FastifyRequest, reply: FastifyReply, services: DataPlaneServices) => Promise<FastifyReply>;
}

export function defineRoute<
  R extends ResponseSchemas,
  A extends AuthMode,
  Q extends ObjectSchema | undefined = undefined,
  P extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  const H extends RouteResult<R> = RouteResult<R>,
>(spec: RouteSpec<Q, P, B, R, A, H>): Route {
  const { query, params, body } = spec as { query?: ObjectSchema; params?: ObjectSchema; body?: z.ZodType };

  async function handle(request: FastifyRequest, reply: FastifyReply, services: DataPlaneServices): Promise<FastifyReply> {
    const caller = request.agentCaller;
    // Defence in depth: the onRequest hook already refused, but a handler must never run unauthenticated.
    if (spec.auth === "agent" && !caller) throw new AppError("unauthorized", "An agent key is required.");
    const ctx = {
      query: query ? parsePart(query, request.query, "query", "The query string is invalid.") : undefined,
      params: params ? parsePart(params, request.params, "params", "The path parameters are invalid.") : undefined,
      body: body ? parsePart(body, request.body, undefined, "The request body is invalid.") : undefined,
      requestId: request.id,
      services,
      agent: caller ?? undefined,
      actor: caller ? agentActor(caller, request) : undefined,
      request,
      reply,
    } as RouteContext<Q, P, B, A>;
    const result: { status: number; body?: unknown; json?: string; headers?: Headers } = await spec.handler(ctx);
    reply.code(result.status);
    if (result.headers) reply.headers(result.headers);
    if (result.json !== undefined) return reply.type("application/json; charset=utf-8").send(result.json);
    return reply.send(result.body);
  }

  return {
    method: spec.method,
    url: spec.url,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    auth: spec.auth,
    schemas: { query, params, body, responses: spec.responses },
    handle,
  };
}

/** Registers routes on a data-plane instance; `auth: "agent"` routes authenticate before the body is read. */
export function mountRoutes(
  app: FastifyInstance,
  routes: readonly Route[],
  deps: { services: DataPlaneServices; authenticate: Authenticate },
): void {
  const authenticateHook = async (request: FastifyRequest) => {
    request.agentCaller = await deps.authenticate(request);
  };
  for (const route of routes) {
    app.route({
      method: route.method,
      url: `${API_PREFIX}${route.url}`,
      ...(route.auth === "agent" ? { onRequest: authenticateHook } : {}),
      handler: (request, reply) => route.handle(request, reply, deps.services),
    });
  }
}

/** The default until agent keys exist: every agent route answers 401, never runs. */
export const refuseAllAgents: Authenticate = async () => {
  throw new AppError("unauthorized", "Agent keys are not accepted by this server.");
};

function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: string | undefined, detail: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = part ? parsed.error.issues.map((issue) => ({ path: [part, ...issue.path], message: issue.message })) : parsed.error.issues;
  throw new AppError("validation_failed", detail, fieldsFromZod(issues));
}

function agentActor(caller: AgentCaller, request: FastifyRequest): Actor {
  const userAgent = request.headers["user-agent"];
  return { type: "agent", agentId: caller.agentId, requestId: request.id, ip: request.ip, ...(userAgent ? { userAgent } : {}) };
}
