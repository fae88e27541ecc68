// One line a reviewer can scan for a written-list line's conditions and limits. Conditions in the
// shape lib/permissions/conditions.ts defines read as words; anything else stored there is shown
// as it is, never trusted (the engine fails such a line closed).
import { conditionsSchema, type Conditions, type ParamLimit } from "@/lib/permissions/conditions";

const MAX_LENGTH = 200;

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function limitText(name: string, limit: ParamLimit): string {
  if ("oneOf" in limit) return `${name} one of ${limit.oneOf.join(", ")}`;
  if ("domains" in limit) return `${name} at ${limit.domains.join(", ")}`;
  if (limit.min !== undefined && limit.max !== undefined) return `${name} ${limit.min}–${limit.max}`;
  return limit.min !== undefined ? `${name} ≥ ${limit.min}` : `${name} ≤ ${limit.max}`;
}

function conditionParts(conditions: Conditions): string[] {
  const parts: string[] = [];
  if (conditions.resource) parts.push(`resource ${conditions.resource}`);
  for (const [name, limit] of Object.entries(conditions.params ?? {})) parts.push(limitText(name, limit));
  if (conditions.window) {
    const { days, from, to, tz } = conditions.window;
    parts.push(`${days.length === 7 ? "every day" : days.join(", ")} ${from}–${to} ${tz}`);
  }
  return parts;
}

export function summarizeConditions(line: {
  effect?: string;
  conditions: unknown;
  onConditionFail: string;
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
}): string {
  const parts: string[] = [];
  const { conditions } = line;
  if (conditions !== null && conditions !== undefined) {
    const parsed = conditionsSchema.safeParse(conditions);
    if (parsed.success) parts.push(...conditionParts(parsed.data));
    else parts.push(`unreadable, so this line denies: ${show(conditions)}`);
  }
  if (line.effect === "deny") return parts.length ? `always (conditions ignored: ${parts.join("; ")})` : "always";
  if (parts.length && line.onConditionFail === "require_approval") parts.push("otherwise ask a person");
  if (line.rateLimitPerMinute !== null) parts.push(`at most ${line.rateLimitPerMinute} per min`);
  if (line.rateLimitPerHour !== null) parts.push(`at most ${line.rateLimitPerHour} per h`);
  const text = parts.join("; ") || "none";
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
