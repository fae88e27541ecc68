// What the viewer's filter pickers offer: agents, people, the event types that occur and the
// catalog's actions. Event types come from a skip scan of the (type, id) index — one probe per
// distinct type — rather than a DISTINCT over millions of rows.
import "server-only";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";

export interface AuditFilterOptions {
  agents: Array<{ slug: string; name: string }>;
  people: Array<{ email: string; name: string }>;
  types: string[];
  actions: string[];
}

const TYPES_SQL = `
WITH RECURSIVE t AS (
  (SELECT type FROM audit_event ORDER BY type LIMIT 1)
  UNION ALL
  SELECT (SELECT e.type FROM audit_event e WHERE e.type > t.type ORDER BY e.type LIMIT 1) FROM t WHERE t.type IS NOT NULL
)
SELECT type FROM t WHERE type IS NOT NULL LIMIT 500`;

export async function listAuditFilterOptions(): Promise<AuditFilterOptions> {
  const [agents, people, types, actions] = await Promise.all([
    db().agent.findMany({ orderBy: [{ name: "asc" }, { slug: "asc" }], select: { slug: true, name: true } }),
    db().person.findMany({ orderBy: [{ name: "asc" }, { email: "asc" }], select: { email: true, name: true } }),
    pool().query<{ type: string }>(TYPES_SQL),
    db().action.findMany({ orderBy: { key: "asc" }, select: { key: true } }),
  ]);
  return { agents, people, types: types.rows.map((row) => row.type), actions: actions.map((action) => action.key) };
}
