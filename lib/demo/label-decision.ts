// Labels the demo's invented requests with the effect DESIGN.md section 5 gives them, so the
// history agrees with the written lists and policies it sits next to. Demo data only: this is a
// deliberately small reading of the rules (no kill state, no delegation), not the decision engine.
import type { ActionCategory, DecisionEffect, Maturity } from "@/lib/generated/prisma/enums";
import type { DemoConditions, DemoLine, DemoPolicy, ParamLimit } from "@/lib/demo/demo-org";

export type JsonParams = Record<string, string | number | boolean | string[]>;

export interface LabelContext {
  maturity: Maturity;
  lines: ReadonlyArray<DemoLine & { id: string }>;
  categories: ReadonlyMap<string, ActionCategory>;
  policies: ReadonlyArray<DemoPolicy & { id: string }>;
  /** Times (ms) of the requests each line has let through, for its rate limits. */
  usage: Map<string, number[]>;
}

export interface LabelledRequest {
  action: string;
  resource?: string;
  params?: JsonParams;
  at: Date;
}

export interface Label {
  effect: DecisionEffect;
  reason: string;
  ruleId: string | null;
  checkpoint?: { requiredApprovals: number; expirySeconds: number; policyId: string | null; permissionId: string | null };
}

const DEFAULT_EXPIRY_SECONDS = 900;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export function labelDecision(ctx: LabelContext, request: LabelledRequest): Label {
  const line = ctx.lines.find((candidate) => candidate.action === request.action);
  if (!line) return { effect: "deny", reason: "not_on_list", ruleId: null };
  if (line.effect === "deny") return { effect: "deny", reason: "never", ruleId: line.id };

  let needsApproval = line.effect === "require_approval";
  if (!conditionsHold(line.conditions, request)) {
    if ((line.onConditionFail ?? "deny") === "deny") return { effect: "deny", reason: "condition_failed", ruleId: line.id };
    needsApproval = true;
  }

  const now = request.at.getTime();
  const used = ctx.usage.get(line.id) ?? [];
  const inLast = (ms: number) => used.filter((time) => time > now - ms).length;
  if ((line.rateLimitPerMinute !== undefined && inLast(60_000) >= line.rateLimitPerMinute) || (line.rateLimitPerHour !== undefined && inLast(3_600_000) >= line.rateLimitPerHour)) {
    return { effect: "deny", reason: "rate_limited", ruleId: line.id };
  }

  const category = ctx.categories.get(request.action);
  if (category !== "read" && ctx.maturity === "intern") return { effect: "deny", reason: "maturity_cap", ruleId: line.id };
  if (category !== "read" && ctx.maturity === "junior") needsApproval = true;
  ctx.usage.set(line.id, [...used, now]);

  const policy = ctx.policies
    .filter((candidate) => policyApplies(candidate, request, category))
    .sort((a, b) => b.requiredApprovals - a.requiredApprovals)[0];
  if (!needsApproval && !policy) return { effect: "allow", reason: "allowed_by_list", ruleId: line.id };
  return {
    effect: "pending",
    reason: "requires_approval",
    ruleId: policy?.id ?? line.id,
    checkpoint: {
      requiredApprovals: Math.max(needsApproval ? 1 : 0, policy?.requiredApprovals ?? 0),
      expirySeconds: policy?.expirySeconds ?? DEFAULT_EXPIRY_SECONDS,
      policyId: policy?.id ?? null,
      permissionId: line.id,
    },
  };
}

function policyApplies(policy: DemoPolicy, request: LabelledRequest, category: ActionCategory | undefined): boolean {
  const scoped = policy.action ? policy.action === request.action : policy.category === category;
  if (!scoped || !policy.conditions) return scoped;
  const value = request.params?.[policy.conditions.param];
  return typeof value === "number" && value > policy.conditions.above;
}

export function conditionsHold(conditions: DemoConditions | undefined, request: LabelledRequest): boolean {
  if (!conditions) return true;
  if (conditions.resource !== undefined && !(request.resource !== undefined && globMatches(conditions.resource, request.resource))) return false;
  for (const [name, limit] of Object.entries(conditions.params ?? {})) {
    if (!paramHolds(limit, request.params?.[name])) return false;
  }
  if (conditions.window) {
    const { days, from, to } = conditions.window;
    const minutes = request.at.getUTCHours() * 60 + request.at.getUTCMinutes();
    if (!days.includes(DAYS[request.at.getUTCDay()] as string) || minutes < toMinutes(from) || minutes >= toMinutes(to)) return false;
  }
  return true;
}

/** "*" stays inside one path segment; "**" crosses segments. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split("**")
    .map((part) => part.split("*").map((text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*"))
    .join(".*");
  return new RegExp(`^${source}$`).test(value);
}

function paramHolds(limit: ParamLimit, value: unknown): boolean {
  if ("oneOf" in limit) return typeof value === "string" && limit.oneOf.includes(value);
  if ("domains" in limit) {
    const addresses = Array.isArray(value) ? value : [value];
    return addresses.length > 0 && addresses.every((address) => typeof address === "string" && limit.domains.includes(address.split("@").pop()?.toLowerCase() ?? ""));
  }
  return typeof value === "number" && (limit.min === undefined || value >= limit.min) && (limit.max === undefined || value <= limit.max);
}

function toMinutes(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
