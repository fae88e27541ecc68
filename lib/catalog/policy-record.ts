// How a global policy is read back and shown in the audit (before → after), and how a
// written target (a category or an action key) becomes the stored one.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db/client";
import type { ActionCategory } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import type { PolicyThreshold } from "@/lib/catalog/policy-schema";

export const policyRecordSelect = {
  id: true,
  name: true,
  category: true,
  conditions: true,
  requiredApprovals: true,
  expirySeconds: true,
  maxExtendSeconds: true,
  enabled: true,
  action: { select: { key: true } },
} as const satisfies Prisma.GlobalPolicySelect;

type PolicyRow = Prisma.GlobalPolicyGetPayload<{ select: typeof policyRecordSelect }>;

// A type (not an interface) so it fits Prisma's JSON input for the audit row.
export type PolicySnapshot = {
  name: string;
  category: ActionCategory | null;
  action: string | null;
  conditions: PolicyThreshold | null;
  requiredApprovals: number;
  expirySeconds: number;
  maxExtendSeconds: number;
  enabled: boolean;
};

export type PolicyRecord = PolicySnapshot & { id: string };

export function toPolicyRecord(row: PolicyRow): PolicyRecord {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    action: row.action?.key ?? null,
    conditions: threshold(row.conditions),
    requiredApprovals: row.requiredApprovals,
    expirySeconds: row.expirySeconds,
    maxExtendSeconds: row.maxExtendSeconds,
    enabled: row.enabled,
  };
}

function threshold(stored: unknown): PolicyThreshold | null {
  if (!stored || typeof stored !== "object") return null;
  const { param, above } = stored as PolicyThreshold;
  return { param, above };
}

/** The audit's view: no id (it is the subject), keys in a fixed order. */
export function snapshot(record: PolicyRecord): PolicySnapshot {
  const { name, category, action, conditions, requiredApprovals, expirySeconds, maxExtendSeconds, enabled } = record;
  return { name, category, action, conditions, requiredApprovals, expirySeconds, maxExtendSeconds, enabled };
}

export function samePolicy(a: PolicySnapshot, b: PolicySnapshot): boolean {
  const scalars = ["name", "category", "action", "requiredApprovals", "expirySeconds", "maxExtendSeconds", "enabled"] as const;
  // Compared field by field: jsonb does not keep the key order the threshold was written in.
  return scalars.every((field) => a[field] === b[field]) && a.conditions?.param === b.conditions?.param && a.conditions?.above === b.conditions?.above;
}

/** The action id for an action target; unknown keys are a 422 on the action field. */
export async function resolveActionTarget(tx: Tx, action: string | null | undefined): Promise<string | null> {
  if (!action) return null;
  const found = await tx.action.findUnique({ where: { key: action }, select: { id: true } });
  if (!found) throw unknownAction(action);
  return found.id;
}

export function unknownAction(action: string): AppError {
  return new AppError("unprocessable", `There is no action ${action} in the catalog.`, [{ path: "action", message: "Pick an action of the catalog." }]);
}

export function duplicatePolicyName(name: string): AppError {
  return new AppError("conflict", `A policy named "${name}" already exists.`, [{ path: "name", message: "This name is taken." }]);
}

/** What a policy row is given for its threshold: SQL NULL when there is none. */
export function conditionsValue(conditions: PolicyThreshold | null | undefined): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return conditions ? { param: conditions.param, above: conditions.above } : Prisma.DbNull;
}
