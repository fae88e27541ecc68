// Global checkpoint policies (DESIGN.md §5 step 7): which of them apply to a request. A policy
// can only ask for approval, so whenever it is unclear whether one applies, it applies: a missing
// or non-numeric threshold parameter, or a stored threshold that does not parse, cannot be used
// to slip under "financial above 1,000".
import { z } from "zod";
import { paramValue } from "@/lib/permissions/params";
import type { CatalogAction, EnginePolicy, EngineRequest } from "@/lib/permissions/types";

export const DEFAULT_EXPIRY_SECONDS = 900;

const thresholdSchema = z.strictObject({ param: z.string().min(1).max(64), above: z.number().finite() });

/** GlobalPolicy.conditions as the engine reads it. */
export function parsePolicyThreshold(stored: unknown): EnginePolicy["threshold"] {
  if (stored === null || stored === undefined) return null;
  const parsed = thresholdSchema.safeParse(stored);
  return parsed.success ? parsed.data : "malformed";
}

function inScope(policy: EnginePolicy, action: CatalogAction): boolean {
  // A policy naming both an action and a category needs both; naming neither, it covers everything.
  return (policy.actionKey === null || policy.actionKey === action.key) && (policy.category === null || policy.category === action.category);
}

function thresholdReached(policy: EnginePolicy, request: EngineRequest): boolean {
  const threshold = policy.threshold;
  if (threshold === null || threshold === "malformed") return true;
  const { found, value, ambiguous } = paramValue(request.params, threshold.param);
  if (!found || ambiguous || typeof value !== "number" || !Number.isFinite(value)) return true;
  return value > threshold.above;
}

/** The enabled policies that apply, most approvals first (ties keep the given order). */
export function matchingPolicies(policies: readonly EnginePolicy[], action: CatalogAction, request: EngineRequest): EnginePolicy[] {
  return policies
    .filter((policy) => policy.enabled && inScope(policy, action) && thresholdReached(policy, request))
    .sort((a, b) => b.requiredApprovals - a.requiredApprovals);
}
