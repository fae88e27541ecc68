// The agent API with real key authentication and its per-instance services: what the server
// runs (lib/server/http-server.ts), and what tests and benchmarks start on a port.
import "server-only";
import type { FastifyInstance } from "fastify";
import { pool as sharedPool } from "@/lib/db/pool";
import { buildDataPlane, type DataPlaneOptions } from "@/lib/http/dataplane/app";
import { createAgentServices, type AgentServicesOptions } from "@/lib/http/dataplane/agent-services";

export type AgentDataPlaneOptions = Omit<DataPlaneOptions, "authenticate"> & Omit<AgentServicesOptions, "pool">;

export function buildAgentDataPlane(options: AgentDataPlaneOptions = {}): FastifyInstance {
  const pool = options.pool ?? sharedPool();
  const services = createAgentServices({ ...options, pool });
  const app = buildDataPlane({ pool, logger: options.logger, routes: options.routes, authenticate: services.auth.authenticate });
  app.addHook("onClose", async () => services.close());
  return app;
}
