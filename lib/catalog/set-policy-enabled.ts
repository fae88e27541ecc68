// Switches a global policy on or off without losing its settings (the usual way to retire one
// whose checkpoints are part of history).
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { policyRecordSelect, toPolicyRecord, type PolicyRecord } from "@/lib/catalog/policy-record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

const schema = z.strictObject({ id: z.uuid("No such policy."), enabled: z.boolean({ error: "Say whether the policy is enabled." }) });

export async function setPolicyEnabled(person: Caller, actor: Actor, input: { id: string; enabled: boolean }): Promise<PolicyRecord> {
  assertCan(person, "catalog.manage");
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The change is not valid.", fieldsFromZod(parsed.error.issues));
  const { id, enabled } = parsed.data;

  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM global_policy WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "No such policy.");
    const before = toPolicyRecord(await tx.globalPolicy.findUniqueOrThrow({ where: { id }, select: policyRecordSelect }));
    if (before.enabled === enabled) return before;

    const after = toPolicyRecord(await tx.globalPolicy.update({ where: { id }, data: { enabled }, select: policyRecordSelect }));
    await notifyChange(tx, { kind: "policy", id });
    await recordAudit(tx, actor, {
      type: enabled ? "policy.enabled" : "policy.disabled",
      subjectType: "global_policy",
      subjectId: id,
      data: { name: before.name, before: { enabled: before.enabled }, after: { enabled } },
    });
    return after;
  });
}
