// What the decision engine reads, cached per instance (DESIGN.md §9): each agent with its written
// list, and the organisation-wide state (fleet switch, capability kills, catalog, enabled
// policies). Loaded with raw pg on a miss, dropped on the change notifications people's edits send
// (lib/db/notify.ts), with a short TTL as a safety net. Nothing is stored while the change listener
// is down: every read then goes to the database. The kill state read here is only a first look:
// the decision writer re-checks the versions under lock before committing (group-commit.ts).
import "server-only";
import type pg from "pg";
import type { ChangeHandler, ChangeMessage } from "@/lib/db/notify";
import { VersionedCache } from "@/lib/db/versioned-cache";
import type { ActionCategory, AgentStatus, Maturity } from "@/lib/generated/prisma/enums";
import { toEngineLine } from "@/lib/permissions/load-engine-input";
import { parsePolicyThreshold } from "@/lib/permissions/policies";
import type { CatalogAction, EngineAgent, EngineKill, EngineLine, EnginePolicy } from "@/lib/permissions/types";

export interface PersonRef {
  id: string;
  name: string;
  email: string;
}

export interface CachedAgent {
  engine: EngineAgent;
  name: string;
  environment: string;
  stateVersion: number;
  listVersion: number;
  owners: PersonRef[];
  technicalOwner: PersonRef | null;
  /** The written list by action key, in list order. */
  lines: ReadonlyMap<string, readonly EngineLine[]>;
}

export interface OrgContext {
  fleet: { stopped: boolean; version: number };
  kills: readonly EngineKill[];
  actions: ReadonlyMap<string, CatalogAction>;
  policies: readonly EnginePolicy[];
}

/** Where change notifications come from: the process listener, or one of its own (tests, a second instance). */
export interface ChangeFeed {
  subscribe(handler: ChangeHandler): () => void;
  listening(): boolean;
}

export interface AgentContextCache {
  /** Null for an agent that does not exist. Ids as PostgreSQL writes them (lower case). */
  agent(agentId: string): Promise<CachedAgent | null>;
  org(): Promise<OrgContext>;
  close(): void;
}

const AGENT = {
  name: "mandate-context-agent",
  text: `SELECT a.id, a.slug, a.name, a.environment, a.status::text AS status, a.maturity::text AS maturity, a.state_version, a.list_version,
    (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'email', p.email) ORDER BY p.name, p.id), '[]'::json)
       FROM agent_owner o JOIN person p ON p.id = o.person_id WHERE o.agent_id = a.id) AS owners,
    (SELECT json_build_object('id', t.id, 'name', t.name, 'email', t.email) FROM person t WHERE t.id = a.technical_owner_id) AS technical_owner
  FROM agent a WHERE a.id = $1`,
};
const LINES = {
  name: "mandate-context-lines",
  text: `SELECT p.id, p.position, p.effect::text AS effect, p.conditions, p.on_condition_fail::text AS on_condition_fail,
    p.rate_limit_per_minute, p.rate_limit_per_hour, x.key AS action
  FROM permission p JOIN action x ON x.id = p.action_id WHERE p.agent_id = $1 ORDER BY p.position, p.created_at, p.id`,
};
const FLEET = "SELECT stopped, version FROM fleet_state WHERE id = 1";
const KILLS = "SELECT id, agent_id, capability FROM capability_kill WHERE restored_at IS NULL ORDER BY created_at, id";
const ACTIONS = "SELECT key, category::text AS category FROM action";
const POLICIES = `SELECT g.id, g.name, g.category::text AS category, g.conditions, g.required_approvals, g.expiry_seconds, x.key AS action_key
  FROM global_policy g LEFT JOIN action x ON x.id = g.action_id WHERE g.enabled ORDER BY g.created_at, g.id`;

interface AgentRow {
  id: string;
  slug: string;
  name: string;
  environment: string;
  status: AgentStatus;
  maturity: Maturity;
  state_version: number;
  list_version: number;
  owners: PersonRef[];
  technical_owner: PersonRef | null;
}

interface LineRow {
  id: string;
  position: number;
  effect: EngineLine["effect"];
  conditions: unknown;
  on_condition_fail: EngineLine["onConditionFail"];
  rate_limit_per_minute: number | null;
  rate_limit_per_hour: number | null;
  action: string;
}

const ORG_KEY = "org";

export function createAgentContextCache(options: { pool: pg.Pool; changes: ChangeFeed; ttlMs?: number }): AgentContextCache {
  const { pool, changes } = options;
  const cacheOptions = { ttlMs: options.ttlMs ?? 10_000, bypass: () => !changes.listening() };
  const agents = new VersionedCache<string, CachedAgent | null>({ ...cacheOptions, maxSize: 20_000 });
  const org = new VersionedCache<typeof ORG_KEY, OrgContext>(cacheOptions);

  const onChange = (message: ChangeMessage) => {
    switch (message.kind) {
      case "agent":
      case "list":
        if (message.agentId) agents.invalidate(message.agentId);
        else agents.clear();
        return;
      case "catalog":
        // Lines are keyed by the action's key, which a catalog change may rename or remove.
        agents.clear();
        org.clear();
        return;
      case "policy":
      case "fleet":
      case "capability":
        org.clear();
        return;
      case "resync":
        agents.clear();
        org.clear();
        return;
      default:
        return;
    }
  };
  const unsubscribe = changes.subscribe(onChange);

  // Bound once: no closure per request on the hot path.
  const loadAgentOf = (id: string) => loadAgent(pool, id);
  const loadOrgOf = () => loadOrg(pool);
  return {
    agent: (agentId) => agents.get(agentId, loadAgentOf),
    org: () => org.get(ORG_KEY, loadOrgOf),
    close: unsubscribe,
  };
}

async function loadAgent(pool: pg.Pool, agentId: string): Promise<CachedAgent | null> {
  const [agentResult, lineResult] = await Promise.all([
    pool.query<AgentRow>({ ...AGENT, values: [agentId] }),
    pool.query<LineRow>({ ...LINES, values: [agentId] }),
  ]);
  const row = agentResult.rows[0];
  if (!row) return null;
  const lines = new Map<string, EngineLine[]>();
  for (const line of lineResult.rows) {
    const engineLine = toEngineLine({
      id: line.id,
      position: line.position,
      effect: line.effect,
      conditions: line.conditions,
      onConditionFail: line.on_condition_fail,
      rateLimitPerMinute: line.rate_limit_per_minute,
      rateLimitPerHour: line.rate_limit_per_hour,
    });
    const list = lines.get(line.action);
    if (list) list.push(engineLine);
    else lines.set(line.action, [engineLine]);
  }
  return {
    engine: { id: row.id, slug: row.slug, status: row.status, maturity: row.maturity },
    name: row.name,
    environment: row.environment,
    stateVersion: row.state_version,
    listVersion: row.list_version,
    owners: row.owners,
    technicalOwner: row.technical_owner,
    lines,
  };
}

async function loadOrg(pool: pg.Pool): Promise<OrgContext> {
  const [fleet, kills, actions, policies] = await Promise.all([
    pool.query<{ stopped: boolean; version: number }>(FLEET),
    pool.query<{ id: string; agent_id: string | null; capability: string }>(KILLS),
    pool.query<{ key: string; category: ActionCategory }>(ACTIONS),
    pool.query<{ id: string; name: string; category: ActionCategory | null; conditions: unknown; required_approvals: number; expiry_seconds: number; action_key: string | null }>(POLICIES),
  ]);
  // The migration creates the one fleet row; without it we cannot know, so everything stops.
  const fleetRow = fleet.rows[0] ?? { stopped: true, version: -1 };
  return {
    fleet: { stopped: fleetRow.stopped, version: fleetRow.version },
    kills: kills.rows.map((row) => ({ id: row.id, agentId: row.agent_id, capability: row.capability })),
    actions: new Map(actions.rows.map((row) => [row.key, { key: row.key, category: row.category }])),
    policies: policies.rows.map((row) => ({
      id: row.id,
      name: row.name,
      category: row.category,
      actionKey: row.action_key,
      threshold: parsePolicyThreshold(row.conditions),
      requiredApprovals: row.required_approvals,
      expirySeconds: row.expiry_seconds,
      enabled: true,
    })),
  };
}
