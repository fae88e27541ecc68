// The line form's values as people edit them (strings, rows, checkboxes) and the conversions to
// and from the line shape lib/permissions/line-schema.ts validates. Nothing is checked here: the
// server validates and its messages come back on the fields.
import { WEEKDAYS, type Weekday } from "@/lib/permissions/conditions";

export type LimitKind = "number" | "oneOf" | "domains";

export interface ParamRow {
  key: number;
  name: string;
  kind: LimitKind;
  min: string;
  max: string;
  /** oneOf values or domains, one per line or separated by commas. */
  values: string;
}

export interface LineFormValues {
  action: string;
  effect: string;
  resource: string;
  params: ParamRow[];
  windowOn: boolean;
  days: Weekday[];
  from: string;
  to: string;
  tz: string;
  onConditionFail: string;
  perMinute: string;
  perHour: string;
  justification: string;
}

export interface StoredLine {
  action: string;
  effect: string;
  conditions: unknown;
  onConditionFail: string;
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
  justification: string;
}

let nextKey = 1;
export const newParamRow = (): ParamRow => ({ key: nextKey++, name: "", kind: "number", min: "", max: "", values: "" });

export const EMPTY_LINE: LineFormValues = {
  action: "",
  effect: "allow",
  resource: "",
  params: [],
  windowOn: false,
  days: ["mon", "tue", "wed", "thu", "fri"],
  from: "08:00",
  to: "18:00",
  tz: "UTC",
  onConditionFail: "deny",
  perMinute: "",
  perHour: "",
  justification: "",
};

const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string => (typeof value === "number" || typeof value === "string" ? String(value) : "");
const list = (value: unknown): string => (Array.isArray(value) ? value.map(String).join("\n") : "");

function rowFor(name: string, limit: Record<string, unknown>): ParamRow {
  const row = { ...newParamRow(), name };
  if ("oneOf" in limit) return { ...row, kind: "oneOf", values: list(limit.oneOf) };
  if ("domains" in limit) return { ...row, kind: "domains", values: list(limit.domains) };
  return { ...row, kind: "number", min: text(limit.min), max: text(limit.max) };
}

export function formValuesFor(line: StoredLine): LineFormValues {
  const conditions = record(line.conditions);
  const window = record(conditions.window);
  const hasWindow = Object.keys(window).length > 0;
  return {
    action: line.action,
    effect: line.effect,
    resource: text(conditions.resource),
    params: Object.entries(record(conditions.params)).map(([name, limit]) => rowFor(name, record(limit))),
    windowOn: hasWindow,
    days: hasWindow && Array.isArray(window.days) ? (window.days.filter((day) => (WEEKDAYS as readonly unknown[]).includes(day)) as Weekday[]) : EMPTY_LINE.days,
    from: hasWindow ? text(window.from) : EMPTY_LINE.from,
    to: hasWindow ? text(window.to) : EMPTY_LINE.to,
    tz: hasWindow ? text(window.tz) || "UTC" : EMPTY_LINE.tz,
    onConditionFail: line.onConditionFail,
    perMinute: line.rateLimitPerMinute === null ? "" : String(line.rateLimitPerMinute),
    perHour: line.rateLimitPerHour === null ? "" : String(line.rateLimitPerHour),
    justification: line.justification,
  };
}

/** A number when the text is one, else the text itself, so the server can say what is wrong. */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : trimmed;
}

const items = (value: string) => value.split(/[\n,]/).map((item) => item.trim()).filter(Boolean);

function limitFor(row: ParamRow): Record<string, unknown> {
  if (row.kind === "oneOf") return { oneOf: items(row.values) };
  if (row.kind === "domains") return { domains: items(row.values) };
  const limit: Record<string, unknown> = {};
  const min = numberOrText(row.min);
  const max = numberOrText(row.max);
  if (min !== undefined) limit.min = min;
  if (max !== undefined) limit.max = max;
  return limit;
}

/** The line as the server actions take it; empty optional parts are left out. */
export function lineFromValues(values: LineFormValues): Record<string, unknown> {
  const conditions: Record<string, unknown> = {};
  if (values.resource.trim()) conditions.resource = values.resource.trim();
  const rows = values.params.filter((row) => row.name.trim() || row.min.trim() || row.max.trim() || row.values.trim());
  if (rows.length) conditions.params = Object.fromEntries(rows.map((row) => [row.name.trim(), limitFor(row)]));
  if (values.windowOn) conditions.window = { days: values.days, from: values.from, to: values.to, tz: values.tz.trim() || "UTC" };
  const line: Record<string, unknown> = {
    action: values.action,
    effect: values.effect,
    onConditionFail: values.onConditionFail,
    justification: values.justification,
  };
  if (Object.keys(conditions).length) line.conditions = conditions;
  if (values.perMinute.trim()) line.rateLimitPerMinute = values.perMinute.trim();
  if (values.perHour.trim()) line.rateLimitPerHour = values.perHour.trim();
  return line;
}
