// Rewrites a global policy (target, threshold, quorum, timings). Checkpoints already raised keep
// the quorum and expiry they were created with; the change applies to the next decision.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { isForeignKeyViolation, isUniqueViolation } from "@/lib/catalog/prisma-errors";
import {
  conditionsValue,
  duplicatePolicyName,
  policyRecordSelect,
  resolveActionTarget,
  samePolicy,
  snapshot,
  toPolicyRecord,
  unknownAction,
  type PolicyRecord,
} from "@/lib/catalog/policy-record";
import { policyUpdateSchema, type PolicyUpdateInput } from "@/lib/catalog/policy-schema";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export async function updatePolicy(person: Caller, actor: Actor, input: PolicyUpdateInput): Promise<PolicyRecord> {
  assertCan(person, "catalog.manage");
  const parsed = policyUpdateSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The policy is not valid.", fieldsFromZod(parsed.error.issues));
  const { id, name, category, action, conditions, requiredApprovals, expirySeconds, maxExtendSeconds } = parsed.data;

  try {
    return await db().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM global_policy WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new AppError("not_found", "No such policy.");
      const before = toPolicyRecord(await tx.globalPolicy.findUniqueOrThrow({ where: { id }, select: policyRecordSelect }));

      const clash = await tx.globalPolicy.findFirst({ where: { name, id: { not: id } }, select: { id: true } });
      if (clash) throw duplicatePolicyName(name);
      const actionId = await resolveActionTarget(tx, action);
      const wanted = { ...snapshot(before), name, category: category ?? null, action: action ?? null, conditions: conditions ?? null, requiredApprovals, expirySeconds, maxExtendSeconds };
      if (samePolicy(snapshot(before), wanted)) return before;

      const row = await tx.globalPolicy.update({
        where: { id },
        data: { name, category: category ?? null, actionId, conditions: conditionsValue(conditions), requiredApprovals, expirySeconds, maxExtendSeconds },
        select: policyRecordSelect,
      });
      const after = toPolicyRecord(row);
      await notifyChange(tx, { kind: "policy", id });
      await recordAudit(tx, actor, {
        type: "policy.updated",
        subjectType: "global_policy",
        subjectId: id,
        data: { before: snapshot(before), after: snapshot(after) },
      });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicatePolicyName(name);
    if (isForeignKeyViolation(error) && action) throw unknownAction(action);
    throw error;
  }
}
