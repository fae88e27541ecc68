// One line a reviewer can scan for a written-list line's conditions and limits. The conditions
// JSON is validated where it is written (lib/permissions); here any shape is shown, never trusted.

const MAX_LENGTH = 160;

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function summarizeConditions(line: {
  conditions: unknown;
  onConditionFail: string;
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
}): string {
  const parts: string[] = [];
  const { conditions } = line;
  if (conditions && typeof conditions === "object" && !Array.isArray(conditions)) {
    for (const [key, value] of Object.entries(conditions)) parts.push(`${key}: ${show(value)}`);
  } else if (conditions !== null && conditions !== undefined) {
    parts.push(show(conditions));
  }
  if (parts.length && line.onConditionFail === "require_approval") parts.push("otherwise ask a human");
  if (line.rateLimitPerMinute !== null) parts.push(`at most ${line.rateLimitPerMinute} per min`);
  if (line.rateLimitPerHour !== null) parts.push(`at most ${line.rateLimitPerHour} per h`);
  const text = parts.join("; ") || "none";
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
