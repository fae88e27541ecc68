// Changes an action's name, description, category or risk. A category change moves the action
// under other maturity caps and global policies at the next decision, so the audit keeps both.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { actionUpdateSchema, type ActionUpdateInput } from "@/lib/catalog/catalog-schema";
import { actionRecordSelect, type ActionRecord } from "@/lib/catalog/create-action";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

const FIELDS = ["name", "description", "category", "risk"] as const;

export async function updateAction(person: Caller, actor: Actor, input: ActionUpdateInput): Promise<ActionRecord> {
  assertCan(person, "catalog.manage");
  const parsed = actionUpdateSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The action is not valid.", fieldsFromZod(parsed.error.issues));
  const { key, ...after } = parsed.data;

  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM action WHERE key = ${key} FOR UPDATE`;
    const id = locked[0]?.id;
    if (!id) throw new AppError("not_found", `There is no action ${key}.`);
    const before = await tx.action.findUniqueOrThrow({ where: { id }, select: actionRecordSelect });
    const changed = FIELDS.filter((field) => before[field] !== after[field]);
    if (changed.length === 0) return before;

    const updated = await tx.action.update({ where: { id }, data: after, select: actionRecordSelect });
    await notifyChange(tx, { kind: "catalog", id });
    await recordAudit(tx, actor, {
      type: "catalog.action.updated",
      subjectType: "action",
      subjectId: id,
      data: {
        key,
        before: Object.fromEntries(changed.map((field) => [field, before[field]])),
        after: Object.fromEntries(changed.map((field) => [field, after[field]])),
      },
    });
    return updated;
  });
}
