// The agent API with real key authentication and its per-instance services: what the server
// runs (lib/server/http-server.ts), and what tests and benchmarks start on a port.
import "server-only";
import type { FastifyInstance } from "fastify";
import { pool as sharedPool } from "@/lib/db/pool";
import { buildDataPlane, type DataPlaneOptions } from "@/lib/http/dataplane/app";
import type { Authenticate } from "@/lib/http/dataplane/define-route";
import { createAgentServices, type AgentServices, type AgentServicesOptions } from "@/lib/http/dataplane/agent-services";
import { takeCheckedCaller } from "@/lib/kill/status-fast-path";

export type AgentDataPlaneOptions = Omit<DataPlaneOptions, "authenticate"> & Omit<AgentServicesOptions, "pool">;

export function buildAgentDataPlane(options: AgentDataPlaneOptions = {}): FastifyInstance {
  const pool = options.pool ?? sharedPool();
  const services = createAgentServices({ ...options, pool });
  // A request the dispatcher's status fast path already checked the key of is not checked twice.
  const authenticate: Authenticate = (request) => takeCheckedCaller(request.raw) ?? services.auth.authenticate(request);
  const app = buildDataPlane({ pool, logger: options.logger, routes: options.routes, authenticate });
  app.addHook("onClose", async () => services.close());
  servicesOf.set(app, services);
  return app;
}

const servicesOf = new WeakMap<FastifyInstance, AgentServices>();

/** The services a data plane built here runs on: the one-port dispatcher's status fast path shares its key cache. */
export function agentServicesOf(app: FastifyInstance): AgentServices | undefined {
  return servicesOf.get(app);
}
