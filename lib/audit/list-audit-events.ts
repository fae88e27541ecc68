// One page of the audit viewer: the filter from the URL (validated; a bad value is reported, never
// guessed), the matching events newest first by id, and the cursors of the pages either side.
import "server-only";
import type pg from "pg";
import { parseAuditFilter, type AuditFilter } from "@/lib/audit/audit-filter";
import { resolveScope } from "@/lib/audit/audit-scope";
import { findAuditIds, type SearchTuning } from "@/lib/audit/find-audit-ids";
import { eventVerdict, summarizeEvent } from "@/lib/audit/summarize-event";
import { inViewerSession } from "@/lib/audit/viewer-session";
import { pool } from "@/lib/db/pool";
import type { ActorType } from "@/lib/generated/prisma/enums";
import type { InvalidField } from "@/lib/http/errors";

export const AUDIT_PAGE_SIZE = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditEventRow {
  id: string;
  createdAt: Date;
  actorType: ActorType;
  /** A person's name, an agent's slug, or "system". */
  actorLabel: string;
  /** The acting person's e-mail (for the person filter), when a person acted. */
  actorEmail: string | null;
  type: string;
  agent: { slug: string; name: string } | null;
  subjectType: string | null;
  subjectId: string | null;
  traceId: string | null;
  summary: string;
  verdict: ReturnType<typeof eventVerdict>;
  /** The decision this event is about (a decision's own events, a checkpoint's votes), if any. */
  decisionId: string | null;
  /** Chained into the tamper-evident log yet (the sealer runs about once a second). */
  sealed: boolean;
}

export interface AuditPage {
  events: AuditEventRow[];
  /** The filter as understood; empty when it could not be read. */
  filters: Partial<AuditFilter>;
  /** What was wrong with the filter; no events are listed then. */
  errors?: InvalidField[];
  /** Cursor for the next page down (older events), if any. */
  older?: string;
  /** Cursor for the page up (newer events), if any. */
  newer?: string;
}

interface EventSqlRow {
  id: string;
  created_at: Date;
  actor_type: ActorType;
  type: string;
  subject_type: string | null;
  subject_id: string | null;
  trace_id: string | null;
  data: unknown;
  instruction: string | null;
  sealed: boolean;
  person_name: string | null;
  person_email: string | null;
  actor_slug: string | null;
  agent_slug: string | null;
  agent_name: string | null;
}

export const EVENT_ROWS_SQL = `
SELECT e.id::text, e.created_at, e.actor_type, e.type, e.subject_type, e.subject_id, e.trace_id, e.data,
  e.reasoning->>'instruction' AS instruction,
  EXISTS (SELECT 1 FROM audit_seal s WHERE s.event_id = e.id) AS sealed,
  p.name AS person_name, p.email AS person_email, aa.slug AS actor_slug, g.slug AS agent_slug, g.name AS agent_name
FROM audit_event e
LEFT JOIN person p ON p.id = e.actor_person_id
LEFT JOIN agent aa ON aa.id = e.actor_agent_id
LEFT JOIN agent g ON g.id = e.agent_id
WHERE e.id = ANY($1::bigint[])
ORDER BY e.id DESC`;

export async function listAuditEvents(input: unknown = {}, options: { limit?: number; client?: pg.Pool; tuning?: SearchTuning } = {}): Promise<AuditPage> {
  const parsed = parseAuditFilter(input);
  if (!parsed.ok) return { events: [], filters: {}, errors: parsed.errors };
  const filter = parsed.filter;
  const limit = options.limit ?? AUDIT_PAGE_SIZE;
  const found = await inViewerSession(options.client ?? pool(), async (client) => {
    const scope = await resolveScope(client, filter);
    if (!scope) return null;
    const page = await findAuditIds(client, scope, { before: filter.before, after: filter.after, limit }, options.tuning);
    return { page, events: await loadEventRows(client, page.ids) };
  });
  if (!found) return { events: [], filters: filter, ...(filter.after ? { older: filter.after } : {}) };
  const { page, events } = found;
  const newest = events[0]?.id;
  const oldest = events.at(-1)?.id;
  const goingUp = filter.after !== undefined;
  // Going down, the page above exists when we came from somewhere; going up, the one below does.
  const older = goingUp ? (oldest ?? filter.after) : page.more ? oldest : undefined;
  const newer = goingUp ? (page.more ? newest : undefined) : filter.before !== undefined ? (newest ?? filter.before) : undefined;
  return { events, filters: filter, ...(older ? { older } : {}), ...(newer ? { newer } : {}) };
}

/** The display rows for these ids, newest first. */
export async function loadEventRows(client: Pick<pg.Pool, "query">, ids: readonly string[]): Promise<AuditEventRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await client.query<EventSqlRow>(EVENT_ROWS_SQL, [ids]);
  return rows.map(toRow);
}

export function toRow(row: EventSqlRow): AuditEventRow {
  const data = row.data && typeof row.data === "object" ? (row.data as Record<string, unknown>) : {};
  const decisionId = row.subject_type === "decision" ? row.subject_id : typeof data.decisionId === "string" ? data.decisionId : null;
  return {
    id: row.id,
    createdAt: row.created_at,
    actorType: row.actor_type,
    actorLabel:
      row.actor_type === "person" ? (row.person_name ?? "unknown person") : row.actor_type === "agent" ? (row.actor_slug ?? "unknown agent") : "system",
    actorEmail: row.actor_type === "person" ? row.person_email : null,
    type: row.type,
    agent: row.agent_slug && row.agent_name ? { slug: row.agent_slug, name: row.agent_name } : null,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    traceId: row.trace_id,
    summary: summarizeEvent(row.type, row.data, row.instruction),
    verdict: eventVerdict(row.type, row.data),
    decisionId: decisionId && UUID.test(decisionId) ? decisionId : null,
    sealed: row.sealed,
  };
}
