// The inbox's "has anything changed?" marker, polled every second by every open inbox: the
// number of pending checkpoints and the latest change any of them saw. New checkpoints move the
// count (and their changed_at is their insert time); votes, extensions, expiries and decisions set
// changed_at; a cancellation moves the count. Two index reads, and one answer per instance is
// shared for VERSION_TTL_MS, so many open inboxes cost one query, not one each.
import "server-only";
import type pg from "pg";
import { pool as sharedPool } from "@/lib/db/pool";

const VERSION_TTL_MS = 250;

const VERSION_SQL = `
SELECT (SELECT count(*) FROM checkpoint WHERE status = 'pending')::int AS pending,
  (SELECT max(changed_at) FROM checkpoint) AS changed`;

let cached: { at: number; value: Promise<string> } | null = null;

export function inboxVersion(client: Pick<pg.Pool, "query"> = sharedPool()): Promise<string> {
  const now = Date.now();
  if (cached && now - cached.at < VERSION_TTL_MS) return cached.value;
  const value = client.query<{ pending: number; changed: Date | null }>(VERSION_SQL).then(({ rows }) => {
    const row = rows[0];
    return `${row?.pending ?? 0}.${row?.changed?.getTime() ?? 0}`;
  });
  // A failed read is not remembered: the next poll asks again.
  value.catch(() => {
    if (cached?.value === value) cached = null;
  });
  cached = { at: now, value };
  return value;
}
