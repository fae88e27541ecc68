// Reads one range of the chain for the verifier: the seals in seq order, each with the canonical
// text of its event. The two are read apart and matched up here rather than joined in SQL: seq
// and event id follow nearly the same order, so the events of a range are a few runs of
// consecutive ids, each one range scan of audit_event's primary key — cheaper than looking events
// up one by one (a nested loop: one descent of the index per row) and than a merge join (which
// sorts and starts audit_event's scan at its first id). Events are streamed and handed on as soon
// as their seal's turn comes, so almost none is kept: Node's garbage collector, not only
// PostgreSQL, decides how fast a verifier goes. No `server-only`: the CLI and the benchmark use it.
import pg from "pg";
import { canonicalSql } from "@/lib/audit/canonical-event";

export interface SealRow {
  seq: string;
  eventId: string;
  prevHash: string;
  hash: string;
}

/** Called in seq order with each seal and its event's canonical text (null: the event is gone); false stops. */
export type SealVisitor = (seal: SealRow, canonical: string | null) => boolean;

/** Ids closer than this stay in one run (the ids between are read and dropped: few, in practice). */
const MAX_GAP = 256;
/** Runs shorter than this are looked up id by id instead. */
const MIN_RUN = 32;

// The whole range's seals as one text — "seq event_id prev_hash hash" records, space-separated
// (numbers and hashes hold no space) — so the driver decodes one field per range, not one per seal,
// and Node keeps one string rather than thousands of small objects (measured: a row per seal cost
// Node about 4 µs more per event, mostly in the garbage collector). An event's canonical text
// starts with its id and a newline.
const SEALS = `SELECT string_agg(s.seq::text || ' ' || s.event_id::text || ' ' || s.prev_hash || ' ' || s.hash, ' ' ORDER BY s.seq)
FROM audit_seal AS s WHERE s.seq >= $1 AND s.seq <= $2`;
const EVENT = `SELECT ${canonicalSql("e")} FROM audit_event AS e`;
const RUN = `${EVENT} WHERE e.id >= $1 AND e.id <= $2 ORDER BY e.id`;
const SCATTERED = `${EVENT} WHERE e.id = ANY($1::bigint[])`;

/** The seals of a range, read in seq order from their text. */
class SealList {
  private at = 0;

  constructor(private readonly text: string) {}

  next(): SealRow | null {
    if (this.at >= this.text.length) return null;
    // A hash emptied by hand (the migration's '') is an empty field.
    return { seq: this.field(), eventId: this.field(), prevHash: this.field(), hash: this.field() };
  }

  /** Every seal's event id, in seq order (without moving). */
  eventIds(): string[] {
    const ids: string[] = [];
    for (let at = 0; at < this.text.length; ) {
      const start = this.text.indexOf(" ", at) + 1;
      const end = this.text.indexOf(" ", start);
      ids.push(this.text.slice(start, end));
      at = nth(this.text, " ", end + 1, 2) + 1 || this.text.length;
    }
    return ids;
  }

  private field(): string {
    const end = this.text.indexOf(" ", this.at);
    const value = this.text.slice(this.at, end === -1 ? this.text.length : end);
    this.at = end === -1 ? this.text.length : end + 1;
    return value;
  }
}

/** Index of the `count`-th `char` at or after `from` (-1 if there are fewer). */
function nth(text: string, char: string, from: number, count: number): number {
  let at = from - 1;
  for (let seen = 0; seen < count; seen += 1) {
    at = text.indexOf(char, at + 1);
    if (at === -1) return -1;
  }
  return at;
}

async function readSealList(client: pg.ClientBase, from: number, to: number): Promise<SealList> {
  const { rows } = await client.query<[string | null]>({ text: SEALS, values: [from, to], rowMode: "array" });
  return new SealList(rows[0]?.[0] ?? "");
}

/** The seals from..to (inclusive), in seq order, without their events. */
export async function readSeals(client: pg.ClientBase, from: number, to: number): Promise<SealRow[]> {
  const list = await readSealList(client, from, to);
  const seals: SealRow[] = [];
  for (let seal = list.next(); seal; seal = list.next()) seals.push(seal);
  return seals;
}

/** Visits the seals from..to in seq order with their events; resolves once every one was visited or the visitor stopped. */
export async function visitSealRange(client: pg.ClientBase, from: number, to: number, visit: SealVisitor): Promise<void> {
  const list = await readSealList(client, from, to);
  let seal = list.next();
  let stopped = false;
  // Events that came before their seal's turn (a late event sealed out of id order, read first).
  const early = new Map<string, string>();
  let wanted: Set<string> | null = null;
  const hand = (canonical: string | null): void => {
    const current = seal!;
    seal = list.next();
    if (!visit(current, canonical)) stopped = true;
  };
  const drain = (): void => {
    while (!stopped && seal && early.size > 0) {
      const canonical = early.get(seal.eventId);
      if (canonical === undefined) return;
      early.delete(seal.eventId);
      hand(canonical);
    }
  };
  const onEvent = (canonical: string): void => {
    if (stopped) return;
    if (seal && isEventOf(canonical, seal.eventId)) {
      hand(canonical);
      drain();
      return;
    }
    // Off the usual path (an event out of seq order, or one this range does not seal).
    wanted ??= new Set(list.eventIds());
    const id = canonical.slice(0, canonical.indexOf("\n"));
    if (wanted.has(id)) early.set(id, canonical);
  };
  const { runs, scattered } = planLookups(list.eventIds());
  // The scattered few first: the runs then stream past their turns without waiting.
  if (scattered.length > 0) await stream(client, SCATTERED, [scattered], onEvent);
  drain();
  for (const [first, last] of runs) {
    if (stopped) return;
    await stream(client, RUN, [first, last], onEvent);
  }
  // What never came no longer exists.
  while (!stopped && seal) hand(early.get(seal.eventId) ?? null);
}

/** Whether the canonical text is event `id`'s: it starts with the id and a newline. */
function isEventOf(canonical: string, id: string): boolean {
  return canonical.charCodeAt(id.length) === 10 && canonical.startsWith(id);
}

function stream(client: pg.ClientBase, text: string, values: unknown[], onRow: (canonical: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const config: pg.QueryArrayConfig<unknown[]> = { text, values, rowMode: "array" };
    const query = new pg.Query(config);
    query.on("row", (row: [string]) => onRow(row[0]));
    query.on("error", reject);
    query.on("end", () => resolve());
    client.query(query);
  });
}

/** Splits event ids into runs of nearby ids (read as ranges) and the scattered rest (read by id). */
export function planLookups(ids: readonly string[]): { runs: Array<[number, number]>; scattered: string[] } {
  const scattered: string[] = [];
  const numbers: number[] = [];
  for (const id of ids) {
    const value = Number(id);
    // An id past 2^53 (only a tampered seal holds one) is looked up exactly, as text.
    if (Number.isSafeInteger(value)) numbers.push(value);
    else scattered.push(id);
  }
  numbers.sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  let start = 0;
  for (let index = 1; index <= numbers.length; index += 1) {
    if (index < numbers.length && numbers[index]! - numbers[index - 1]! <= MAX_GAP) continue;
    if (index - start >= MIN_RUN) runs.push([numbers[start]!, numbers[index - 1]!]);
    else for (let at = start; at < index; at += 1) scattered.push(String(numbers[at]));
    start = index;
  }
  return { runs, scattered };
}
