// FormData → use-case input for the catalog forms. These only reshape (strings to numbers,
// empty to absent, flat names to nested objects); the use cases validate and explain.
import { z } from "zod";

const text = z.string().optional().default("");
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
const number = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? Number(value) : undefined));

export const systemForm = z.object({ key: text, name: text, description: text });

export const keyForm = z.object({ key: text });

export const actionForm = z.object({ systemKey: text, key: text, name: text, description: text, category: text, risk: text });

export const actionUpdateForm = z.object({ key: text, name: text, description: text, category: text, risk: text });

const policyFields = z.object({
  name: text,
  targetKind: optionalText,
  category: optionalText,
  action: optionalText,
  "conditions.param": optionalText,
  "conditions.above": number,
  requiredApprovals: number,
  expirySeconds: number,
  maxExtendSeconds: number,
});

function policyValues(form: z.output<typeof policyFields>) {
  const param = form["conditions.param"];
  const above = form["conditions.above"];
  return {
    name: form.name,
    category: form.targetKind === "category" ? (form.category ?? null) : null,
    action: form.targetKind === "action" ? (form.action ?? null) : null,
    // Both empty means "always"; one without the other reaches the use case to be explained.
    conditions: param === undefined && above === undefined ? null : { param: param ?? "", above: above as number },
    requiredApprovals: form.requiredApprovals as number,
    expirySeconds: form.expirySeconds,
    maxExtendSeconds: form.maxExtendSeconds,
  };
}

export const policyForm = policyFields.transform(policyValues);

export const policyUpdateForm = policyFields.extend({ id: text }).transform((form) => ({ id: form.id, ...policyValues(form) }));

export const policyRefForm = z.object({ id: text });

export const policyEnabledForm = z.object({ id: text, enabled: z.enum(["true", "false"]).transform((value) => value === "true") });
