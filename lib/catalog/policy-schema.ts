// A global checkpoint policy as admins write it: a target (one category or one action), an
// optional threshold on a numeric parameter ("amount above 1,000"), and how the checkpoint it
// raises behaves. The threshold is stored as-is in GlobalPolicy.conditions, so the decision
// engine can read it with policyThresholdSchema.
import { z } from "zod";
import { ActionCategory } from "@/lib/generated/prisma/enums";
import { ACTION_CATEGORIES, actionKeySchema } from "@/lib/catalog/catalog-schema";

// The same parameter names a written-list line may limit (lib/permissions/conditions.ts).
export const POLICY_PARAM_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export const POLICY_LIMITS = {
  requiredApprovals: { min: 1, max: 5 },
  expirySeconds: { min: 60, max: 86_400, default: 900 },
  maxExtendSeconds: { min: 0, max: 86_400, default: 0 },
} as const;

export const policyThresholdSchema = z.strictObject({
  param: z.string({ error: "Enter a parameter name." }).trim().regex(POLICY_PARAM_PATTERN, "Use a parameter name like amount or invoice.total."),
  above: z.number({ error: "Enter a finite number." }),
});

function wholeNumber(label: string, { min, max }: { min: number; max: number }) {
  const message = `${label} must be a whole number from ${min} to ${max}.`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const { requiredApprovals, expirySeconds, maxExtendSeconds } = POLICY_LIMITS;

const policyFields = z.strictObject({
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(200, "Use at most 200 characters."),
  category: z.enum(ActionCategory, { error: `Pick a category: ${ACTION_CATEGORIES.join(", ")}.` }).nullish(),
  action: actionKeySchema.nullish(),
  conditions: policyThresholdSchema.nullish(),
  requiredApprovals: wholeNumber("Approvals", requiredApprovals),
  expirySeconds: wholeNumber("Expiry", expirySeconds).default(expirySeconds.default),
  maxExtendSeconds: wholeNumber("The extension", maxExtendSeconds).default(maxExtendSeconds.default),
});

function withOneTarget<S extends z.ZodType<{ category?: unknown; action?: unknown }>>(schema: S) {
  return schema.refine((policy) => (policy.category ? 1 : 0) + (policy.action ? 1 : 0) === 1, {
    path: ["target"],
    error: "Apply the policy to exactly one thing: a category or an action.",
  });
}

export const policySchema = withOneTarget(policyFields.extend({ enabled: z.boolean().default(true) }));
/** An update replaces everything but the enabled flag, which has its own use case. */
export const policyUpdateSchema = withOneTarget(policyFields.extend({ id: z.uuid("No such policy.") }));

export const policyRefSchema = z.strictObject({ id: z.uuid("No such policy.") });

export type PolicyThreshold = z.output<typeof policyThresholdSchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type PolicyUpdateInput = z.input<typeof policyUpdateSchema>;
