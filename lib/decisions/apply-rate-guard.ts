// The rate guard: rate limits that hold across instances. The engine decided on a count read
// before the request was queued (line-usage.ts), so concurrent requests — on one instance or on
// several — could each have seen the last free slot. Inside the flush's transaction, after the
// kill guard, each rate-limited line's allows are counted again under an exclusive per-line
// advisory lock held to commit, and the batch's own allows are added one by one: an allow beyond
// the limit is written (and answered) as deny `rate_limited`. Flushes without rate-limited allows
// take no lock and run no query, so lines without limits cost nothing here.
//
// Deadlock-free with the kill-state locks: every flush takes its shared fleet and agent locks
// first and the rate locks after them, in line-id order; kills never take rate locks.
import type pg from "pg";
import type { GuardedDecision } from "@/lib/decisions/apply-kill-guard";
import type { DecisionEntry } from "@/lib/decisions/decision-entry";
import { agentLockKey } from "@/lib/decisions/lock-decision-state";

/** Lock namespace "MNDR" (beside the fleet's "MNDF" and agents' "MNDA"). */
export const RATE_LOCK_SPACE = 0x4d4e4452;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const LOCK = {
  name: "mandate_rate_lock",
  text: "SELECT count(*) FROM (SELECT pg_advisory_xact_lock($1::int4, k) FROM unnest($2::int4[]) WITH ORDINALITY AS t(k, n) ORDER BY n) AS locked",
};
const COUNT = {
  name: "mandate_rate_count",
  text: `SELECT rule_id, (count(*) FILTER (WHERE created_at > $2))::int AS minute, count(*)::int AS hour
  FROM decision WHERE rule_id = ANY($1::text[]) AND effect = 'allow' AND created_at > $3 GROUP BY rule_id`,
};

/** Rewrites, in place, the allows of `finals` that would exceed their line's limit. */
export async function applyRateGuard(client: Pick<pg.ClientBase, "query">, entries: readonly DecisionEntry[], finals: GuardedDecision[]): Promise<void> {
  const limited = entries.flatMap((entry, index) => (finals[index]?.effect === "allow" && entry.rateLimit ? [index] : []));
  if (limited.length === 0) return;
  const lineIds = [...new Set(limited.map((index) => entries[index]!.rateLimit!.lineId))].sort();
  const keys = [...new Set(lineIds.map(agentLockKey))].sort((a, b) => a - b);
  await client.query({ ...LOCK, values: [RATE_LOCK_SPACE, keys] });

  const now = Date.now();
  const { rows } = await client.query<{ rule_id: string; minute: number; hour: number }>({
    ...COUNT,
    values: [lineIds, new Date(now - MINUTE_MS), new Date(now - HOUR_MS)],
  });
  const used = new Map(rows.map((row) => [row.rule_id, { minute: row.minute, hour: row.hour }]));
  for (const index of limited) {
    const { lineId, perMinute, perHour } = entries[index]!.rateLimit!;
    const count = used.get(lineId) ?? { minute: 0, hour: 0 };
    if ((perMinute !== null && count.minute >= perMinute) || (perHour !== null && count.hour >= perHour)) {
      finals[index] = { effect: "deny", reason: "rate_limited", ruleId: lineId, rewritten: true, keepCheckpoint: false };
      continue;
    }
    used.set(lineId, { minute: count.minute + 1, hour: count.hour + 1 });
  }
}
