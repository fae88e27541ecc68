// The kill-switch status an agent polls (GET /agent/status) and streams (GET /agent/events),
// DESIGN.md §6: `{ state, mode?, reason?, since, version, drill? }`, computed from the agent row,
// the fleet switch and the agent's newest pending kill drill.
//
// `version` is agent.state_version + fleet_state.version. Both only ever go up and every change of
// either bumps one of them by at least 1, so the sum goes up with every change of either: it changes
// whenever either does and never repeats for one agent. It is the SSE event id. The ETag is the
// version, plus the pending drill's id: acknowledging a drill removes it from the body without
// bumping a version (a bump would turn in-flight allows into `state_changed` denials), so the ETag
// must still change then.
import "server-only";
import type pg from "pg";

export type AgentState = "active" | "suspended" | "killed" | "retired";
export type KillMode = "graceful" | "forced";
type AgentStatusValue = "draft" | AgentState;

export interface PendingDrill {
  id: string;
  startedAt: Date;
  thresholdMs: number;
}

export interface AgentStateRow {
  id: string;
  status: AgentStatusValue;
  stateVersion: number;
  stateReason: string | null;
  stateMode: KillMode | null;
  stateChangedAt: Date;
  drill: PendingDrill | null;
}

export interface FleetRow {
  stopped: boolean;
  mode: KillMode | null;
  reason: string | null;
  changedAt: Date;
  version: number;
}

export interface AgentStatusBody {
  state: AgentState;
  mode?: KillMode;
  reason?: string;
  since: string;
  version: number;
  /** Extension: whose switch set the state — the agent's own, or the fleet's stop-all. */
  scope?: "agent" | "fleet";
  drill?: { id: string; startedAt: string; thresholdMs: number };
}

/** What the routes send: the body, already serialized once per change, and its validators. */
export interface StatusView {
  version: number;
  etag: string;
  json: string;
  body: AgentStatusBody;
}

export const DRAFT_REASON = "The agent is a draft: it has not been activated yet.";
export const FLEET_REASON = "Every agent was stopped.";
/** A fleet row that cannot be found reads as stopped: fail closed, as the decision engine does. */
export const MISSING_FLEET: FleetRow = { stopped: true, mode: "forced", reason: "The fleet switch cannot be read.", changedAt: new Date(0), version: 0 };

/** Retired beats killed beats the fleet's stop beats suspended (and draft) beats active. */
export function composeStatus(agent: AgentStateRow, fleet: FleetRow): StatusView {
  const version = agent.stateVersion + fleet.version;
  const since = agent.stateChangedAt.toISOString();
  const reason = agent.stateReason || undefined;
  let body: AgentStatusBody;
  if (agent.status === "retired") body = { state: "retired", reason, since, version, scope: "agent" };
  else if (agent.status === "killed") body = { state: "killed", mode: agent.stateMode ?? "forced", reason, since, version, scope: "agent" };
  else if (fleet.stopped) {
    body = { state: "killed", mode: fleet.mode ?? "forced", reason: fleet.reason || FLEET_REASON, since: fleet.changedAt.toISOString(), version, scope: "fleet" };
  } else if (agent.status === "suspended") body = { state: "suspended", reason, since, version, scope: "agent" };
  else if (agent.status === "draft") body = { state: "suspended", reason: reason ?? DRAFT_REASON, since, version, scope: "agent" };
  else body = { state: "active", since, version };
  if (agent.drill) body.drill = { id: agent.drill.id, startedAt: agent.drill.startedAt.toISOString(), thresholdMs: agent.drill.thresholdMs };
  const etag = agent.drill ? `"${version}.${agent.drill.id}"` : `"${version}"`;
  return { version, etag, json: JSON.stringify(body), body };
}

/** True when an If-None-Match header names `etag` (weak comparison, lists and `*` included). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true;
  for (const part of header.split(",")) {
    const tag = part.trim();
    if (tag === "*" || (tag.startsWith("W/") ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

const AGENTS = {
  name: "mandate-status-agents",
  text: `SELECT a.id, a.status::text AS status, a.state_version, a.state_reason, a.state_mode::text AS state_mode, a.state_changed_at,
      d.id AS drill_id, d.started_at AS drill_started_at, d.threshold_ms AS drill_threshold_ms
    FROM agent a
    LEFT JOIN LATERAL (
      SELECT k.id, k.started_at, k.threshold_ms FROM kill_drill k
      WHERE k.agent_id = a.id AND k.status = 'pending' ORDER BY k.started_at DESC, k.id LIMIT 1
    ) d ON true
    WHERE a.id = ANY($1::uuid[])`,
};
const FLEET = { name: "mandate-status-fleet", text: "SELECT stopped, mode::text AS mode, reason, changed_at, version FROM fleet_state WHERE id = 1" };

interface AgentQueryRow {
  id: string;
  status: AgentStatusValue;
  state_version: number;
  state_reason: string | null;
  state_mode: KillMode | null;
  state_changed_at: Date;
  drill_id: string | null;
  drill_started_at: Date | null;
  drill_threshold_ms: number | null;
}

/** The state rows of these agents (ids lower-case, as PostgreSQL writes them); absent ids do not exist. */
export async function loadAgentStates(pool: Pick<pg.Pool, "query">, ids: readonly string[]): Promise<Map<string, AgentStateRow>> {
  const { rows } = await pool.query<AgentQueryRow>({ ...AGENTS, values: [ids] });
  const found = new Map<string, AgentStateRow>();
  for (const row of rows) {
    found.set(row.id, {
      id: row.id,
      status: row.status,
      stateVersion: row.state_version,
      stateReason: row.state_reason,
      stateMode: row.state_mode,
      stateChangedAt: row.state_changed_at,
      drill:
        row.drill_id && row.drill_started_at ? { id: row.drill_id, startedAt: row.drill_started_at, thresholdMs: row.drill_threshold_ms ?? 1000 } : null,
    });
  }
  return found;
}

export async function loadFleetState(pool: Pick<pg.Pool, "query">): Promise<FleetRow> {
  const { rows } = await pool.query<{ stopped: boolean; mode: KillMode | null; reason: string | null; changed_at: Date; version: number }>(FLEET);
  const row = rows[0];
  if (!row) return MISSING_FLEET;
  return { stopped: row.stopped, mode: row.mode, reason: row.reason, changedAt: row.changed_at, version: row.version };
}
