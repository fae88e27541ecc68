// What the agent API's routes share per data-plane instance: key authentication, the decision
// context caches, the decision writer and the delegation resolver. Kept per instance (keyed by
// the instance's pool, as health.ts keys its probe), so two data planes in one process — a test's
// two "instances" on one database — never share a cache and each must hear changes for itself.
import "server-only";
import type pg from "pg";
import { createAgentContextCache, type AgentContextCache, type ChangeFeed } from "@/lib/decisions/agent-context-cache";
import type { DelegationResolver } from "@/lib/decisions/delegation-chain";
import { decisionWriter, type DecisionWriter } from "@/lib/decisions/group-commit";
import { changesListening, subscribeChanges } from "@/lib/db/notify";
import { resolveDelegationChain } from "@/lib/delegations/resolve-delegation-chain";
import { createAgentAuth, type AgentAuth } from "@/lib/http/dataplane/agent-auth";

export interface AgentServices {
  auth: AgentAuth;
  contexts: AgentContextCache;
  pool: pg.Pool;
  /** The writer decisions go through (the process's own unless one was given). */
  writer(): DecisionWriter;
  resolveDelegation: DelegationResolver;
  close(): void;
}

export interface AgentServicesOptions {
  pool: pg.Pool;
  /** Default: the process's writer on its own pool (decisionWriter()). */
  writer?: DecisionWriter;
  /** Default: the process's change listener (subscribeChanges). */
  changes?: ChangeFeed;
  /** Default: lib/delegations' chain resolver (tests may pass refuseDelegations or their own). */
  resolveDelegation?: DelegationResolver;
  keyTtlMs?: number;
  contextTtlMs?: number;
}

const PROCESS_CHANGES: ChangeFeed = { subscribe: subscribeChanges, listening: changesListening };
const byPool = new WeakMap<pg.Pool, AgentServices>();

export function createAgentServices(options: AgentServicesOptions): AgentServices {
  if (byPool.has(options.pool)) throw new Error("This pool already has agent services; give each data plane its own pool.");
  const changes = options.changes ?? PROCESS_CHANGES;
  const auth = createAgentAuth({ pool: options.pool, changes, ttlMs: options.keyTtlMs });
  const contexts = createAgentContextCache({ pool: options.pool, changes, ttlMs: options.contextTtlMs });
  const services: AgentServices = {
    auth,
    contexts,
    pool: options.pool,
    writer: () => options.writer ?? decisionWriter(),
    resolveDelegation:
      options.resolveDelegation ?? ((token, agentId, now, action) => resolveDelegationChain(token, agentId, now, action, { pool: options.pool })),
    close() {
      byPool.delete(options.pool);
      auth.close();
      contexts.close();
    },
  };
  byPool.set(options.pool, services);
  return services;
}

/** The services of the data plane that owns `pool`; made with the defaults the first time it is asked. */
export function agentServicesFor(pool: pg.Pool): AgentServices {
  return byPool.get(pool) ?? createAgentServices({ pool });
}
