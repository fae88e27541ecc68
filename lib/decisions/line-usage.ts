// How many decisions each rate-limited line allowed in the last minute and hour, counted in the
// database so that every instance sees the same numbers (decision_rule_id_effect_created_at_idx
// reads only that line's allows). Lines without a limit are never counted: they cost nothing.
// This count is what the engine decides on; the decision writer counts again under a per-line
// lock before committing an allow (apply-rate-guard.ts), so concurrent requests on several
// instances cannot all slip under the limit together.
import "server-only";
import type pg from "pg";
import type { EngineLine, LineUsage } from "@/lib/permissions/types";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const COUNT = {
  name: "mandate-line-usage",
  text: `SELECT rule_id, (count(*) FILTER (WHERE created_at > $2))::int AS minute, count(*)::int AS hour
  FROM decision WHERE rule_id = ANY($1::text[]) AND effect = 'allow' AND created_at > $3 GROUP BY rule_id`,
};

export function hasRateLimit(line: EngineLine): boolean {
  return line.rateLimitPerMinute !== null || line.rateLimitPerHour !== null;
}

/** Usage by line id for the lines that have a limit; {} (and no query) when none has. */
export async function loadLineUsage(client: Pick<pg.Pool, "query">, lines: readonly EngineLine[], now: Date): Promise<Record<string, LineUsage>> {
  const limited = lines.filter(hasRateLimit);
  if (limited.length === 0) return {};
  const hourly = limited.some((line) => line.rateLimitPerHour !== null);
  const minuteStart = new Date(now.getTime() - MINUTE_MS);
  const since = hourly ? new Date(now.getTime() - HOUR_MS) : minuteStart;
  const { rows } = await client.query<{ rule_id: string; minute: number; hour: number }>({
    ...COUNT,
    values: [limited.map((line) => line.id), minuteStart, since],
  });
  const usage: Record<string, LineUsage> = {};
  for (const row of rows) usage[row.rule_id] = { lastMinute: row.minute, lastHour: row.hour };
  return usage;
}
