// Keyset pages over audit_event: the ids of the next `limit` events matching a scope, newest
// first (or oldest first, for the page above a cursor). Never OFFSET: a page starts from the id it
// was handed, so its cost does not grow with how deep it is.
//
// Free text in the instruction has no order-preserving index, so it is searched in two ways. A
// scan down the ids finds a common term within a few thousand events; a rare term would need a
// scan of the whole table that way, so it is looked up instead: in audit_search's trigram index
// for every event the search indexer has copied (those sealed up to its watermark; the index is
// kept off the decision path, see lib/audit/index-audit-search.ts), plus the few events past the
// watermark checked directly, and the matches sorted — range of ids by range of ids, nearest the
// cursor first, until the page is full. Each step resumes exactly where the previous one stopped,
// so together they return the same rows as one slow query.
import "server-only";
import type pg from "pg";
import { scopeConditions, type AuditScope } from "@/lib/audit/audit-scope";
import { SEARCH_RANGE_WIDTH } from "@/lib/audit/index-audit-search";

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
// Measured costs (development VM, 5 million events, bench/audit-viewer.ts's data): scanning one
// candidate event ≈ 2.5 µs; looking up one match in audit_search and probing its event ≈ 4–7 µs
// once there are thousands (plus 10–50 ms of posting lists for a text of several words, over the
// ranges read). They decide whether to keep scanning or to switch to the index.
const SCAN_US = 2.5;
const LOOKUP_US = 6;

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
    // The lookup reads whole ranges, nearest first, until it has the page.
    const lookupCost = density * Math.min(await totalEvents(client), Math.max(SEARCH_RANGE_WIDTH, missing / density)) * LOOKUP_US;
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

/**
 * The rest through the search index, range of ids by range of ids (audit_search is split into
 * ranges of SEARCH_RANGE_WIDTH ids, each with its own trigram index) from the cursor outwards: one
 * range, then two, then four…, so a term with thousands of matches decodes the posting lists of the
 * ranges near the cursor only, and a rare one reads every range in a few statements. Stops once the
 * page is full or the ids run out.
 */
async function lookup(client: Queryable, scope: AuditScope, ascending: boolean, bound: string, want: number): Promise<string[]> {
  const pattern = await searchIndexPattern(client, scope.pattern!);
  const { rows } = await client.query<{ low: string | null; high: string | null }>("SELECT min(id)::text AS low, max(id)::text AS high FROM audit_event");
  if (rows[0]?.low == null || rows[0]?.high == null) return [];
  const [low, high] = [BigInt(rows[0].low), BigInt(rows[0].high)];
  const width = BigInt(SEARCH_RANGE_WIDTH);
  const start = (id: bigint) => (id >= 0n ? id / width : -((-id + width - 1n) / width)) * width;
  const found: string[] = [];
  let span = 1n;
  // [from, to): ids past the cursor, whole ranges but for the first, nearest first.
  let [from, to] = ascending ? [BigInt(bound) + 1n, start(BigInt(bound) + 1n) + width] : [start(BigInt(bound) - 1n), BigInt(bound)];
  for (;;) {
    found.push(...(await lookupWindow(client, scope, ascending, bound, [from, to], pattern, want - found.length)));
    if (found.length >= want || (ascending ? to > high : from <= low)) return found;
    span *= 2n;
    [from, to] = ascending ? [to, to + span * width] : [from - span * width, from];
  }
}

/**
 * One window of the lookup: the events in [from, to) matching in audit_search (everything the
 * indexer has copied, up to its watermark) and the events past the watermark — sealed after it, or
 * still queued for the sealer — each checked against the whole scope, pattern included, past `bound`.
 * The watermark, the index and the tail are read by one statement, so from one snapshot: the
 * indexer moves the watermark in the same transaction as the rows it covers, and every event is
 * either queued or sealed, so each event is a candidate exactly once (the id array is deduplicated
 * by the index scan in any case). The candidates are gathered into one array and probed by
 * primary key in id order, whatever the planner guesses about how many there are.
 */
async function lookupWindow(
  client: Queryable,
  scope: AuditScope,
  ascending: boolean,
  bound: string,
  [from, to]: [bigint, bigint],
  indexPattern: string,
  want: number,
): Promise<string[]> {
  const params: unknown[] = [];
  const where = [...scopeConditions(scope, params), ...keyset(ascending, bound, params)];
  const pattern = `$${params.push(indexPattern)}`;
  const fromParam = `$${params.push(from.toString())}::bigint`;
  const toParam = `$${params.push(to.toString())}::bigint`;
  const inWindow = (column: string) => `${column} >= ${fromParam} AND ${column} < ${toParam}`;
  // The upper bound is the head: true of every seal, and a range the planner walks by the key
  // rather than a guessed third of the table behind an unknown watermark.
  const sql = `WITH mark AS MATERIALIZED (
      SELECT coalesce((SELECT p.seq FROM audit_search_progress AS p WHERE p.id = 1), 0) AS seq,
             coalesce((SELECT max(s.seq) FROM audit_seal AS s), 0) AS head
    )
    SELECT e.id::text AS id FROM audit_event e
    WHERE e.id = ANY (ARRAY(
        SELECT a.event_id FROM audit_search AS a WHERE a.instruction ILIKE ${pattern} AND ${inWindow("a.event_id")}
        UNION ALL
        SELECT s.event_id FROM audit_seal AS s WHERE s.seq > (SELECT seq FROM mark) AND s.seq <= (SELECT head FROM mark) AND ${inWindow("s.event_id")}
        UNION ALL
        SELECT q.event_id FROM audit_unsealed AS q WHERE ${inWindow("q.event_id")}
      )) AND ${where.join(" AND ")}
    ORDER BY ${orderBy(ascending)} LIMIT ${want}`;
  return (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
}

// A search text's common words cost the trigram index more than they narrow it: "ticket #74610"
// decodes the long posting lists of "tic", "ick", "cke" … (a third of all instructions) to find
// the 17 rows that "74610" alone finds in a millisecond, and a word in a tenth or more of them cuts
// the candidates by ten at most. So the index is asked for the text without its common words, in
// order ("%74610%"), when anything else is left; every candidate is checked against the whole
// pattern afterwards in any case. Less common words are kept: each costs little to read and may
// cut the candidates a lot ("pipeline 123"). How common a word is comes from PostgreSQL's own
// sample of audit_search.instruction (pg_stats, kept by ANALYZE), read every few minutes per process:
// the biggest range's, which autovacuum keeps current (it never analyzes a partitioned table as a
// whole), else the whole table's, from a manual ANALYZE.
const COMMON_SHARE = 0.1;
const SAMPLE_TTL_MS = 5 * 60_000;
const SAMPLE_SQL = `SELECT st.most_common_vals::text::text[] AS mcv, st.most_common_freqs AS freqs, st.histogram_bounds::text::text[] AS hist
  FROM pg_stats AS st JOIN pg_class AS c ON c.relname = st.tablename JOIN pg_namespace AS n ON n.oid = c.relnamespace AND n.nspname = st.schemaname
  WHERE st.schemaname = current_schema() AND st.attname = 'instruction'
    AND (c.oid = to_regclass('audit_search') OR c.oid IN (SELECT i.inhrelid FROM pg_inherits AS i WHERE i.inhparent = to_regclass('audit_search')))
  ORDER BY c.relkind = 'p', c.reltuples DESC LIMIT 1`;

interface InstructionSample {
  mcv: string[];
  freqs: number[];
  hist: string[];
}

let cachedSample: { at: number; sample: InstructionSample } | null = null;

async function instructionSample(client: Queryable): Promise<InstructionSample | null> {
  if (cachedSample && Date.now() - cachedSample.at < SAMPLE_TTL_MS) return cachedSample.sample;
  const row = (await client.query<{ mcv: string[] | null; freqs: number[] | null; hist: string[] | null }>(SAMPLE_SQL)).rows[0];
  // Not analyzed yet: nothing cached, asked again next time.
  if (!row) return null;
  const lower = (values: string[] | null) => (values ?? []).map((value) => value.toLowerCase());
  const sample = { mcv: lower(row.mcv), freqs: row.freqs ?? [], hist: lower(row.hist) };
  cachedSample = { at: Date.now(), sample };
  return sample;
}

/** The estimated share of indexed instructions that contain `word`, as the planner would estimate it. */
function shareOf(sample: InstructionSample, word: string): number {
  const needle = word.toLowerCase();
  let common = 0;
  let matched = 0;
  sample.mcv.forEach((value, index) => {
    common += sample.freqs[index] ?? 0;
    if (value.includes(needle)) matched += sample.freqs[index] ?? 0;
  });
  const hits = sample.hist.filter((value) => value.includes(needle)).length;
  return matched + (1 - common) * (sample.hist.length > 0 ? hits / sample.hist.length : 0);
}

/** The pattern the trigram index is asked for: `pattern`, or a weaker one without its common words. */
export async function searchIndexPattern(client: Queryable, pattern: string): Promise<string> {
  const text = pattern.slice(1, -1).replace(/\\(.)/gsu, "$1");
  // Runs of three or more letters or digits: what a trigram can be taken from inside a word.
  const words = text.match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  if (words.length < 2) return pattern;
  const sample = await instructionSample(client);
  if (!sample) return pattern;
  const kept = words.filter((word) => shareOf(sample, word) < COMMON_SHARE);
  return kept.length === 0 || kept.length === words.length ? pattern : `%${kept.join("%")}%`;
}
