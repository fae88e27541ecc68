// A parsed audit filter turned into SQL over audit_event: names resolved to ids (an unknown
// agent or person matches nothing), and a time range narrowed to an id range the indexes can
// seek to. Shared by the viewer's pages and the export, so both see exactly the same rows.
import "server-only";
import type pg from "pg";
import type { AuditFilter } from "@/lib/audit/audit-filter";

export interface AuditScope {
  agentId?: string;
  personId?: string;
  type?: string;
  action?: string;
  effect?: string;
  from?: Date;
  to?: Date;
  trace?: string;
  /** The ILIKE pattern for the instruction, wildcards in the search text escaped. */
  pattern?: string;
  /** Exclusive id bounds equivalent to the time range (see idBounds). */
  idAbove?: string;
  idBelow?: string;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

// Ids follow append order and created_at is the time of appending (or, for a decision, of deciding
// a few milliseconds before), so an event's id and time disagree by at most a transaction's length.
// Allowing ten minutes of disagreement turns a time range into id bounds that are safe and tight.
const CLOCK_SLACK = "10 minutes";

/** Resolves names and the time range; null when the filter names an agent or person that does not exist. */
export async function resolveScope(client: Queryable, filter: AuditFilter): Promise<AuditScope | null> {
  const scope: AuditScope = {
    type: filter.type,
    action: filter.action,
    effect: filter.effect,
    from: filter.from,
    to: filter.to,
    trace: filter.trace,
    pattern: filter.q === undefined ? undefined : `%${filter.q.replace(/[\\%_]/g, "\\$&")}%`,
  };
  if (filter.agent) {
    const agent = (await client.query<{ id: string }>("SELECT id FROM agent WHERE slug = $1", [filter.agent])).rows[0];
    if (!agent) return null;
    scope.agentId = agent.id;
  }
  if (filter.person) {
    const person = (await client.query<{ id: string }>("SELECT id FROM person WHERE lower(email) = lower($1)", [filter.person])).rows[0];
    if (!person) return null;
    scope.personId = person.id;
  }
  if (filter.from || filter.to) Object.assign(scope, await idBounds(client, filter.from, filter.to));
  return scope;
}

/**
 * The newest event written well before `from` and the oldest written well after `to`: every event
 * inside the range lies strictly between them by id. Two probes of the created_at index.
 */
async function idBounds(client: Queryable, from: Date | undefined, to: Date | undefined): Promise<Pick<AuditScope, "idAbove" | "idBelow">> {
  const { rows } = await client.query<{ above: string | null; below: string | null }>(
    `SELECT (SELECT id::text FROM audit_event WHERE $1::timestamptz IS NOT NULL AND created_at < $1::timestamptz - interval '${CLOCK_SLACK}'
               ORDER BY created_at DESC LIMIT 1) AS above,
            (SELECT id::text FROM audit_event WHERE $2::timestamptz IS NOT NULL AND created_at > $2::timestamptz + interval '${CLOCK_SLACK}'
               ORDER BY created_at LIMIT 1) AS below`,
    [from ?? null, to ?? null],
  );
  return { idAbove: rows[0]?.above ?? undefined, idBelow: rows[0]?.below ?? undefined };
}

/** True when only decision.made events can match (their action, effect or instruction is asked for). */
export function decisionsOnly(scope: AuditScope): boolean {
  return scope.action !== undefined || scope.effect !== undefined || scope.pattern !== undefined;
}

/**
 * The WHERE conditions for `e` (audit_event), appending their values to `params`. The instruction
 * pattern is left out when `withPattern` is false (the text search applies it itself).
 */
export function scopeConditions(scope: AuditScope, params: unknown[], withPattern = true): string[] {
  const add = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (scope.agentId) where.push(`e.agent_id = ${add(scope.agentId)}::uuid`);
  if (scope.personId) where.push(`e.actor_person_id = ${add(scope.personId)}::uuid`);
  if (scope.type) where.push(`e.type = ${add(scope.type)}`);
  if (decisionsOnly(scope) && scope.type !== "decision.made") where.push(`e.type = 'decision.made'`);
  if (scope.action) where.push(`e.data->>'action' = ${add(scope.action)}`);
  if (scope.effect) where.push(`e.data->>'effect' = ${add(scope.effect)}`);
  if (scope.from) where.push(`e.created_at >= ${add(scope.from)}`);
  if (scope.to) where.push(`e.created_at < ${add(scope.to)}`);
  if (scope.idAbove) where.push(`e.id > ${add(scope.idAbove)}::bigint`);
  if (scope.idBelow) where.push(`e.id < ${add(scope.idBelow)}::bigint`);
  if (scope.trace) where.push(`e.trace_id = ${add(scope.trace)}`);
  if (withPattern && scope.pattern) where.push(`e.reasoning->>'instruction' ILIKE ${add(scope.pattern)}`);
  return where;
}
