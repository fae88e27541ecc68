// Keyset pages over audit_event: the ids of the next `limit` events matching a scope, newest
// first (or oldest first, for the page above a cursor). Never OFFSET: a page starts from the id it
// was handed, so its cost does not grow with how deep it is.
//
// Free text in the instruction has no order-preserving index, so it is searched in two ways. A
// scan down the ids finds a common term within a few thousand events; a rare term would need a
// scan of the whole table that way, so it is looked up in decision.instruction instead (one
// sequential scan of the narrower table: there is deliberately no trigram index on the decision
// hot path, see prisma/migrations/20261128120000_audit_viewer_indexes), and the matches joined
// back to their decision.made events and sorted. Each step resumes
// exactly where the previous one stopped, so together they return the same rows as one slow query.
import "server-only";
import type pg from "pg";
import { scopeConditions, type AuditScope } from "@/lib/audit/audit-scope";

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export interface PageRequest {
  /** Events older than this id (newest first). */
  before?: string;
  /** Events newer than this id (oldest first; the caller shows them newest first). */
  after?: string;
  limit: number;
}

export interface IdPage {
  /** In the direction of travel: descending for `before` or no cursor, ascending for `after`. */
  ids: string[];
  /** More events match beyond the last id. */
  more: boolean;
}

/** How far the text search scans before it considers the index (tests shrink these). */
export interface SearchTuning {
  /** The first window scanned for a search term, in candidate events. */
  firstWindow: number;
  /** The most candidate events scanned before the index is used whatever it costs. */
  maxWindow: number;
}

export const SEARCH_TUNING: SearchTuning = { firstWindow: 8_000, maxWindow: 120_000 };
// Measured costs (development VM): scanning one candidate event ≈ 2.5 µs; looking up one trigram
// match and its event ≈ 25 µs. They decide whether to keep scanning or to switch to the index.
const SCAN_US = 2.5;
const LOOKUP_US = 25;

export async function findAuditIds(client: Queryable, scope: AuditScope, page: PageRequest, tuning: SearchTuning = SEARCH_TUNING): Promise<IdPage> {
  const ascending = page.after !== undefined;
  const cursor = page.after ?? page.before;
  const need = page.limit + 1;
  const ids = scope.pattern === undefined ? await scan(client, scope, ascending, cursor, need) : await search(client, scope, ascending, cursor, need, tuning);
  return { ids: ids.slice(0, page.limit), more: ids.length > page.limit };
}

function keyset(ascending: boolean, cursor: string | undefined, params: unknown[]): string[] {
  return cursor === undefined ? [] : [`e.id ${ascending ? ">" : "<"} $${params.push(cursor)}::bigint`];
}

function orderBy(ascending: boolean): string {
  return ascending ? "e.id" : "e.id DESC";
}

async function scan(client: Queryable, scope: AuditScope, ascending: boolean, cursor: string | undefined, need: number): Promise<string[]> {
  const params: unknown[] = [];
  const where = [...scopeConditions(scope, params), ...keyset(ascending, cursor, params)];
  const sql = `SELECT e.id::text AS id FROM audit_event e ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${orderBy(ascending)} LIMIT ${need}`;
  return (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
}

async function search(client: Queryable, scope: AuditScope, ascending: boolean, cursor: string | undefined, need: number, tuning: SearchTuning): Promise<string[]> {
  const found: string[] = [];
  let bound = cursor;
  let window = tuning.firstWindow;
  let scanned = 0;
  for (;;) {
    const hits = await scanWindow(client, scope, ascending, bound, window, need - found.length);
    found.push(...hits);
    if (found.length >= need) return found;
    // The window came up short: where did it end, and was that the end of the table?
    const edge = await windowEdge(client, scope, ascending, bound, window);
    if (edge === null) return found;
    scanned += window;
    bound = edge;
    const density = hits.length / window;
    const missing = need - found.length;
    const scanCost = density > 0 ? (missing / density) * SCAN_US : Number.POSITIVE_INFINITY;
    const lookupCost = density * (await totalEvents(client)) * LOOKUP_US;
    if (scanCost < lookupCost && scanned < tuning.maxWindow) {
      window = Math.min(tuning.maxWindow - scanned, Math.max(tuning.firstWindow, Math.ceil((missing / density) * 1.25)));
      continue;
    }
    return [...found, ...(await lookup(client, scope, ascending, bound, missing))];
  }
}

/** Matches among the next `window` candidate events past `bound` (early exit once `want` are found). */
async function scanWindow(client: Queryable, scope: AuditScope, ascending: boolean, bound: string | undefined, window: number, want: number): Promise<string[]> {
  const params: unknown[] = [];
  const where = [...scopeConditions(scope, params, false), ...keyset(ascending, bound, params)];
  const sql = `SELECT w.id::text AS id FROM (
      SELECT e.id, e.reasoning FROM audit_event e WHERE ${where.join(" AND ")} ORDER BY ${orderBy(ascending)} LIMIT ${window}
    ) w WHERE w.reasoning->>'instruction' ILIKE $${params.push(scope.pattern)} ORDER BY ${ascending ? "w.id" : "w.id DESC"} LIMIT ${want}`;
  return (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
}

/** The last candidate id of that window, or null when the window reached the end of the table. */
async function windowEdge(client: Queryable, scope: AuditScope, ascending: boolean, bound: string | undefined, window: number): Promise<string | null> {
  const params: unknown[] = [];
  const where = [...scopeConditions(scope, params, false), ...keyset(ascending, bound, params)];
  const sql = `SELECT e.id::text AS id FROM audit_event e WHERE ${where.join(" AND ")} ORDER BY ${orderBy(ascending)} OFFSET ${window - 1} LIMIT 1`;
  return (await client.query<{ id: string }>(sql, params)).rows[0]?.id ?? null;
}

/** About how many events there are (ids are dense): the trigram lookup reads matches from all of them. */
async function totalEvents(client: Queryable): Promise<number> {
  const top = (await client.query<{ id: string | null }>("SELECT max(id)::text AS id FROM audit_event")).rows[0]?.id;
  return Number(top ?? 0);
}

/** The rest through the trigram index: matching decisions, their decision.made events past `bound`. */
async function lookup(client: Queryable, scope: AuditScope, ascending: boolean, bound: string, want: number): Promise<string[]> {
  const params: unknown[] = [];
  const pattern = `$${params.push(scope.pattern)}`;
  const where = [...scopeConditions(scope, params), ...keyset(ascending, bound, params)];
  const narrow = scope.agentId ? ` AND d.agent_id = $${params.push(scope.agentId)}::uuid` : "";
  const sql = `SELECT e.id::text AS id FROM decision d
    JOIN audit_event e ON e.subject_id = d.id::text AND e.type = 'decision.made'
    WHERE d.instruction ILIKE ${pattern}${narrow} AND ${where.join(" AND ")}
    ORDER BY ${orderBy(ascending)} LIMIT ${want}`;
  return (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
}
