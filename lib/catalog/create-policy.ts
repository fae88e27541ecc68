// Adds an organisation-wide checkpoint: "every external_communication needs approval",
// "financial above 1,000 needs two approvers". Policies only ever raise allow to approval.
//
// Policies live in lib/catalog rather than lib/approvals: they are written against the catalog
// (a category or an action), edited on the catalog page under catalog.manage, and an action
// cannot be deleted while one names it. lib/approvals is the runtime side (checkpoints, votes).
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { isForeignKeyViolation, isUniqueViolation } from "@/lib/catalog/prisma-errors";
import {
  conditionsValue,
  duplicatePolicyName,
  policyRecordSelect,
  resolveActionTarget,
  snapshot,
  toPolicyRecord,
  unknownAction,
  type PolicyRecord,
} from "@/lib/catalog/policy-record";
import { policySchema, type PolicyInput } from "@/lib/catalog/policy-schema";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export async function createPolicy(person: Caller, actor: Actor, input: PolicyInput): Promise<PolicyRecord> {
  assertCan(person, "catalog.manage");
  const parsed = policySchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The policy is not valid.", fieldsFromZod(parsed.error.issues));
  const { name, category, action, conditions, requiredApprovals, expirySeconds, maxExtendSeconds, enabled } = parsed.data;

  try {
    return await db().$transaction(async (tx) => {
      if (await tx.globalPolicy.findUnique({ where: { name }, select: { id: true } })) throw duplicatePolicyName(name);
      const actionId = await resolveActionTarget(tx, action);
      const row = await tx.globalPolicy.create({
        data: {
          name,
          category: category ?? null,
          actionId,
          conditions: conditionsValue(conditions),
          requiredApprovals,
          expirySeconds,
          maxExtendSeconds,
          enabled,
          createdById: actor.type === "person" ? actor.personId : null,
        },
        select: policyRecordSelect,
      });
      const policy = toPolicyRecord(row);
      await notifyChange(tx, { kind: "policy", id: policy.id });
      await recordAudit(tx, actor, {
        type: "policy.created",
        subjectType: "global_policy",
        subjectId: policy.id,
        data: { before: null, after: snapshot(policy) },
      });
      return policy;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicatePolicyName(name);
    // The action was deleted between our lookup and the insert.
    if (isForeignKeyViolation(error) && action) throw unknownAction(action);
    throw error;
  }
}
