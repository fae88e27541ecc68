// Reads from the database everything the decision engine needs for one agent at `now`: its state,
// the fleet switch, unrestored capability kills, catalog entries, its written-list lines, the
// enabled global policies and each line's recent use. Stored conditions are re-validated here;
// a line whose conditions no longer parse is handed over marked malformed and fails closed.
import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { conditionsSchema } from "@/lib/permissions/conditions";
import { parsePolicyThreshold } from "@/lib/permissions/policies";
import type { CatalogAction, EngineAgent, EngineInput, EngineKill, EngineLine, EnginePolicy, EngineRequest, LineUsage } from "@/lib/permissions/types";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface EngineSnapshot {
  now: Date;
  agent: EngineAgent;
  fleet: { stopped: boolean };
  kills: EngineKill[];
  actions: Map<string, CatalogAction>;
  /** By action key. */
  lines: Map<string, EngineLine[]>;
  usage: Record<string, LineUsage>;
  policies: EnginePolicy[];
}

export function toEngineLine(row: {
  id: string;
  position: number;
  effect: EngineLine["effect"];
  conditions: unknown;
  onConditionFail: EngineLine["onConditionFail"];
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
}): EngineLine {
  const base = { id: row.id, position: row.position, effect: row.effect, onConditionFail: row.onConditionFail, rateLimitPerMinute: row.rateLimitPerMinute, rateLimitPerHour: row.rateLimitPerHour };
  if (row.conditions === null || row.conditions === undefined) return { ...base, conditions: null };
  const parsed = conditionsSchema.safeParse(row.conditions);
  return parsed.success ? { ...base, conditions: parsed.data } : { ...base, conditions: null, malformed: true };
}

/**
 * Loads the snapshot for some catalog actions (all of them when `actionKeys` is omitted).
 * Queries run one after another: `client` may be an interactive transaction. Null when the agent
 * does not exist.
 */
export async function loadEngineSnapshot(client: Db | Tx, agentId: string, now: Date, actionKeys?: readonly string[]): Promise<EngineSnapshot | null> {
  const agent = await client.agent.findUnique({ where: { id: agentId }, select: { id: true, slug: true, status: true, maturity: true } });
  if (!agent) return null;
  // The migration creates the one fleet row; without it we cannot know, so everything stops.
  const fleet = await client.fleetState.findUnique({ where: { id: 1 }, select: { stopped: true } });
  const keyFilter = actionKeys ? { key: { in: [...actionKeys] } } : {};
  const actions = await client.action.findMany({ where: keyFilter, select: { key: true, category: true } });
  const kills = await client.capabilityKill.findMany({
    where: { restoredAt: null, OR: [{ agentId: null }, { agentId }] },
    select: { id: true, agentId: true, capability: true },
  });
  const lineRows = await client.permission.findMany({
    where: { agentId, action: keyFilter },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, position: true, effect: true, conditions: true, onConditionFail: true, rateLimitPerMinute: true, rateLimitPerHour: true, action: { select: { key: true } } },
  });
  const policyRows = await client.globalPolicy.findMany({
    where: { enabled: true },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, category: true, conditions: true, requiredApprovals: true, expirySeconds: true, enabled: true, action: { select: { key: true } } },
  });

  const lines = new Map<string, EngineLine[]>();
  for (const row of lineRows) lines.set(row.action.key, [...(lines.get(row.action.key) ?? []), toEngineLine(row)]);
  return {
    now,
    agent,
    fleet: { stopped: fleet?.stopped ?? true },
    kills,
    actions: new Map(actions.map((action) => [action.key, action])),
    lines,
    usage: await loadUsage(client, agentId, lineRows.map((row) => row.id), now),
    policies: policyRows.map((row) => ({
      id: row.id,
      name: row.name,
      category: row.category,
      actionKey: row.action?.key ?? null,
      threshold: parsePolicyThreshold(row.conditions),
      requiredApprovals: row.requiredApprovals,
      expirySeconds: row.expirySeconds,
      enabled: row.enabled,
    })),
  };
}

/** Decisions each line allowed in the minute and the hour up to `now` (what its rate limits count). */
async function loadUsage(client: Db | Tx, agentId: string, lineIds: string[], now: Date): Promise<Record<string, LineUsage>> {
  if (lineIds.length === 0) return {};
  const window = (ms: number) => ({ agentId, effect: "allow" as const, ruleId: { in: lineIds }, createdAt: { gt: new Date(now.getTime() - ms), lte: now } });
  const hour = await client.decision.groupBy({ by: ["ruleId"], where: window(HOUR_MS), _count: { _all: true } });
  const minute = hour.length ? await client.decision.groupBy({ by: ["ruleId"], where: window(MINUTE_MS), _count: { _all: true } }) : [];
  const usage: Record<string, LineUsage> = {};
  for (const row of hour) if (row.ruleId) usage[row.ruleId] = { lastHour: row._count._all, lastMinute: 0 };
  for (const row of minute) {
    const counted = row.ruleId ? usage[row.ruleId] : undefined;
    if (counted) counted.lastMinute = row._count._all;
  }
  return usage;
}

/** The engine's input for one request against a snapshot. */
export function engineInputFor(snapshot: EngineSnapshot, request: EngineRequest): EngineInput {
  return {
    now: snapshot.now,
    request,
    action: snapshot.actions.get(request.action) ?? null,
    fleet: snapshot.fleet,
    kills: snapshot.kills,
    agent: { agent: snapshot.agent, lines: snapshot.lines.get(request.action) ?? [], usage: snapshot.usage },
    policies: snapshot.policies,
  };
}

/** Everything the engine needs to decide `request` for `agentId` at `now`; null for an unknown agent. */
export async function loadEngineInput(client: Db | Tx, agentId: string, request: EngineRequest, now: Date): Promise<EngineInput | null> {
  const snapshot = await loadEngineSnapshot(client, agentId, now, [request.action]);
  return snapshot ? engineInputFor(snapshot, request) : null;
}
