// Parameter limits of written-list lines: { min, max } on numbers (inclusive), { oneOf } on
// strings (exact, case-sensitive), { domains } on an e-mail address or URL or a non-empty list of
// them. A missing parameter, or one of the wrong type, fails the limit: numbers sent as strings
// ("500") do not count as numbers.
import type { ParamLimit } from "@/lib/permissions/conditions";
import { hostAllowed, hostOf } from "@/lib/permissions/domains";

type Params = Readonly<Record<string, unknown>> | null | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value of parameter `name`: its own key first ("recipient.to"), else the nested path
 * (recipient → to). When both exist and differ the request is ambiguous, which fails the limit:
 * the receiving system might read the other one.
 */
export function paramValue(params: Params, name: string): { found: boolean; value?: unknown; ambiguous?: boolean } {
  if (!params) return { found: false };
  const direct = Object.hasOwn(params, name) ? { found: true, value: params[name] } : { found: false };
  let nested: { found: boolean; value?: unknown } = { found: false };
  if (name.includes(".")) {
    let cursor: unknown = params;
    let found = true;
    for (const key of name.split(".")) {
      if (!isPlainObject(cursor) || !Object.hasOwn(cursor, key)) {
        found = false;
        break;
      }
      cursor = cursor[key];
    }
    if (found) nested = { found: true, value: cursor };
  }
  if (direct.found && nested.found && direct.value !== nested.value) return { found: true, ambiguous: true };
  return direct.found ? direct : nested;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Why parameter `name` breaks `limit`, or null when it keeps to it. */
export function paramFailure(name: string, limit: ParamLimit, params: Params): string | null {
  const { found, value, ambiguous } = paramValue(params, name);
  if (ambiguous) return `parameter ${name} is given twice with different values`;
  if (!found || value === undefined || value === null) return `parameter ${name} is missing`;

  if ("oneOf" in limit) {
    if (typeof value === "string" && limit.oneOf.includes(value)) return null;
    return `parameter ${name} ${show(value)} is not one of ${limit.oneOf.join(", ")}`;
  }
  if ("domains" in limit) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) return `parameter ${name} is an empty list`;
    for (const item of values) {
      const host = typeof item === "string" ? hostOf(item) : null;
      if (host === null) return `parameter ${name} ${show(item)} is not a plain e-mail address or URL`;
      if (!hostAllowed(host, limit.domains)) return `parameter ${name} ${show(item)} is outside ${limit.domains.join(", ")}`;
    }
    return null;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return `parameter ${name} ${show(value)} is not a number`;
  if (limit.min !== undefined && value < limit.min) return `parameter ${name} ${value} is below the minimum ${limit.min}`;
  if (limit.max !== undefined && value > limit.max) return `parameter ${name} ${value} is above the maximum ${limit.max}`;
  return null;
}
