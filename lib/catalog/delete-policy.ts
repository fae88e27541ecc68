// Deletes a global policy that never raised a checkpoint. One that did is part of the approval
// history (checkpoints point at it), so it is disabled instead of deleted.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { policyRecordSelect, snapshot, toPolicyRecord } from "@/lib/catalog/policy-record";
import { policyRefSchema } from "@/lib/catalog/policy-schema";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export async function deletePolicy(person: Caller, actor: Actor, input: { id: string }): Promise<void> {
  assertCan(person, "catalog.manage");
  const parsed = policyRefSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Name the policy to delete.", fieldsFromZod(parsed.error.issues));
  const { id } = parsed.data;

  await db().$transaction(async (tx) => {
    // The lock makes a checkpoint being raised under this policy (its foreign key) wait for us.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM global_policy WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "No such policy.");
    const before = toPolicyRecord(await tx.globalPolicy.findUniqueOrThrow({ where: { id }, select: policyRecordSelect }));
    const checkpoints = await tx.checkpoint.count({ where: { policyId: id } });
    if (checkpoints > 0) {
      throw new AppError(
        "conflict",
        `"${before.name}" has raised ${checkpoints} checkpoint${checkpoints === 1 ? "" : "s"}, which keep pointing at it; disable it instead.`,
      );
    }
    await tx.globalPolicy.delete({ where: { id } });
    await notifyChange(tx, { kind: "policy", id });
    await recordAudit(tx, actor, {
      type: "policy.deleted",
      subjectType: "global_policy",
      subjectId: id,
      data: { before: snapshot(before), after: null },
    });
  });
}
