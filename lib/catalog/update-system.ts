// Renames or re-describes a system. Its key stays: agents and lists name its actions by it.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { systemSchema, type SystemInput } from "@/lib/catalog/catalog-schema";
import type { SystemRecord } from "@/lib/catalog/create-system";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export async function updateSystem(person: Caller, actor: Actor, input: SystemInput): Promise<SystemRecord> {
  assertCan(person, "catalog.manage");
  const parsed = systemSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The system is not valid.", fieldsFromZod(parsed.error.issues));
  const { key, name, description } = parsed.data;

  return db().$transaction(async (tx) => {
    // Locked so two concurrent edits each audit the state the other left, not a stale copy.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM system WHERE key = ${key} FOR UPDATE`;
    const id = locked[0]?.id;
    if (!id) throw new AppError("not_found", `There is no system ${key}.`);
    const before = await tx.system.findUniqueOrThrow({ where: { id }, select: { id: true, key: true, name: true, description: true } });
    if (before.name === name && before.description === description) return before;

    const after = await tx.system.update({ where: { id }, data: { name, description }, select: { id: true, key: true, name: true, description: true } });
    await notifyChange(tx, { kind: "catalog", id });
    await recordAudit(tx, actor, {
      type: "catalog.system.updated",
      subjectType: "system",
      subjectId: id,
      data: { before: { name: before.name, description: before.description }, after: { name, description } },
    });
    return after;
  });
}
