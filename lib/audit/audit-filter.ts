// The audit viewer's filter, as it lives in the URL (deep links, the export link, the bench):
// one zod schema, and a parse that names every bad field instead of guessing. The page, the
// export route and the CLI all read filters through parseAuditFilter.
import { z } from "zod";
import type { InvalidField } from "@/lib/http/errors";

export const AUDIT_EFFECTS = ["allow", "deny", "pending"] as const;

/** The filter keys, in the order the form and the export link write them. */
export const FILTER_KEYS = ["agent", "person", "type", "action", "effect", "from", "to", "trace", "q"] as const;

const text = (max: number, what: string) =>
  z
    .string({ error: `Give one ${what}.` })
    .trim()
    .max(max, `The ${what} is at most ${max} characters.`)
    .transform((value) => value || undefined)
    .optional();

const pattern = (max: number, what: string, regex: RegExp, hint: string) =>
  text(max, what).refine((value) => value === undefined || regex.test(value), hint);

// `<input type="datetime-local">` sends "2026-11-26T10:00" (read as UTC, as the console shows
// times); a full ISO time with a zone and a plain date are accepted too.
const TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** JavaScript rolls 2026-02-30 over into March; a filter should say it is not a date instead. */
function realCalendar(value: string): boolean {
  const [, y, m, d, h, min, sec] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value) ?? [];
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const sameDay = day.getUTCFullYear() === Number(y) && day.getUTCMonth() === Number(m) - 1 && day.getUTCDate() === Number(d);
  return sameDay && Number(h ?? 0) < 24 && Number(min ?? 0) < 60 && Number(sec ?? 0) < 60;
}

function toInstant(value: string, endOfDay: boolean): Date | null {
  if (!realCalendar(value)) return null;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : zoned ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return null;
  // A date alone as the end of a range means "through that day".
  return dateOnly && endOfDay ? new Date(date.getTime() + 86_400_000) : date;
}

const time = (what: string, endOfDay: boolean) =>
  pattern(40, what, TIME, `Use a date and time like 2026-11-26T09:30 (UTC) for ${what}.`).transform((value, ctx) => {
    if (value === undefined) return undefined;
    const instant = toInstant(value, endOfDay);
    if (!instant) {
      ctx.addIssue({ code: "custom", message: `${value} is not a real date and time.` });
      return z.NEVER;
    }
    return instant;
  });

// zod runs every refinement even after one failed, so the range check re-tests the digits itself.
const CURSOR = /^(?:0|[1-9]\d{0,18})$/;
const cursor = pattern(19, "cursor", CURSOR, "The page cursor is an event number.").refine(
  (value) => value === undefined || !CURSOR.test(value) || BigInt(value) <= 9_223_372_036_854_775_807n,
  "The page cursor is out of range.",
);

export const auditFilterSchema = z
  .object({
    agent: pattern(100, "agent", /^[a-z0-9][a-z0-9-]*$/, "Use an agent's slug, like support-triage."),
    person: pattern(320, "person", /^[^\s@]+@[^\s@]+$/, "Use a person's e-mail address."),
    type: pattern(100, "event type", /^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/, "Use an event type like decision.made or agent.killed."),
    action: pattern(200, "action", /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/, "Use an action key like crm.contact.read."),
    effect: z.preprocess((value) => (value === "" ? undefined : value), z.enum(AUDIT_EFFECTS, { error: "Effect is allow, deny or pending." }).optional()),
    from: time("from", false),
    to: time("to", true),
    trace: pattern(200, "trace id", /^\S+$/, "A trace id has no spaces."),
    // Shorter terms match nearly everything and cannot use the trigram index.
    q: text(200, "search text").refine((value) => value === undefined || value.length >= 3, "Search for at least 3 characters."),
    before: cursor,
    after: cursor,
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from >= value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the time range must be after its start." });
    if (value.before && value.after) ctx.addIssue({ code: "custom", path: ["after"], message: "Page either older (before) or newer (after), not both." });
  });

export type AuditFilter = z.output<typeof auditFilterSchema>;

export type ParsedAuditFilter = { ok: true; filter: AuditFilter } | { ok: false; errors: InvalidField[]; raw: Record<string, string> };

/** Parses URL values (first value per key; unknown keys are ignored, as links may carry others). */
export function parseAuditFilter(input: unknown): ParsedAuditFilter {
  const source = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const picked = Object.fromEntries([...FILTER_KEYS, "before", "after"].flatMap((key) => (source[key] === undefined ? [] : [[key, source[key]]])));
  const parsed = auditFilterSchema.safeParse(picked);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const raw = Object.fromEntries(Object.entries(picked).map(([key, value]) => [key, typeof value === "string" ? value : ""]));
  const errors = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(filter)", message: issue.message }));
  return { ok: false, errors, raw };
}

/** True when anything narrows the list (cursors do not count). */
export function isFiltered(filter: AuditFilter): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== undefined);
}

/** The filter back as URL parameters (times in ISO), plus a cursor when given. */
export function filterParams(filter: AuditFilter, page: { before?: string; after?: string } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined) continue;
    params.set(key, value instanceof Date ? value.toISOString() : value);
  }
  if (page.before) params.set("before", page.before);
  if (page.after) params.set("after", page.after);
  return params;
}

/** Filters that only decisions carry (their action, effect and instruction). */
export function decisionOnly(filter: AuditFilter): boolean {
  return filter.action !== undefined || filter.effect !== undefined || filter.q !== undefined;
}
