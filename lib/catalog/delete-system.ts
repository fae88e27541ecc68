// Removes a system that has no actions left; actions go first, each with its own checks.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { systemRefSchema } from "@/lib/catalog/catalog-schema";
import { isForeignKeyViolation } from "@/lib/catalog/prisma-errors";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export async function deleteSystem(person: Caller, actor: Actor, input: { key: string }): Promise<void> {
  assertCan(person, "catalog.manage");
  const parsed = systemRefSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Name the system to delete.", fieldsFromZod(parsed.error.issues));
  const { key } = parsed.data;

  try {
    await db().$transaction(async (tx) => {
      // The row lock makes a concurrent createAction on this system wait for us (its foreign-key
      // check needs the row), so "no actions" still holds when we delete.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM system WHERE key = ${key} FOR UPDATE`;
      const id = locked[0]?.id;
      if (!id) throw new AppError("not_found", `There is no system ${key}.`);
      const system = await tx.system.findUniqueOrThrow({ where: { id }, select: { name: true, description: true, _count: { select: { actions: true } } } });
      if (system._count.actions > 0) {
        throw new AppError("conflict", `The system ${key} still has ${system._count.actions} action${system._count.actions === 1 ? "" : "s"}; delete them first.`);
      }
      await tx.system.delete({ where: { id } });
      await notifyChange(tx, { kind: "catalog", id });
      await recordAudit(tx, actor, {
        type: "catalog.system.deleted",
        subjectType: "system",
        subjectId: id,
        data: { before: { key, name: system.name, description: system.description }, after: null },
      });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new AppError("conflict", `The system ${key} gained an action meanwhile; delete it first.`);
    throw error;
  }
}
