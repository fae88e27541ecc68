// Removes an action nobody uses: no written-list line and no global policy may name it, because
// a line or policy pointing at nothing would change decisions without anyone deciding so.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { actionRefSchema } from "@/lib/catalog/catalog-schema";
import { isForeignKeyViolation } from "@/lib/catalog/prisma-errors";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export async function deleteAction(person: Caller, actor: Actor, input: { key: string }): Promise<void> {
  assertCan(person, "catalog.manage");
  const parsed = actionRefSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Name the action to delete.", fieldsFromZod(parsed.error.issues));
  const { key } = parsed.data;

  try {
    await db().$transaction(async (tx) => {
      // Lock first, count second: a line or policy being added now holds a key-share lock on this
      // row (its foreign-key check), so either it commits before our counts see it, or it waits
      // and then fails on the missing row. Without this, a policy's action would be nulled.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM action WHERE key = ${key} FOR UPDATE`;
      const id = locked[0]?.id;
      if (!id) throw new AppError("not_found", `There is no action ${key}.`);

      // One after another: a transaction is one connection, which runs one query at a time anyway.
      const lines = await tx.permission.count({ where: { actionId: id } });
      const agents = (await tx.permission.groupBy({ by: ["agentId"], where: { actionId: id } })).length;
      const policies = await tx.globalPolicy.count({ where: { actionId: id } });
      if (lines > 0 || policies > 0) throw inUse(key, agents, lines, policies);

      const { system, ...before } = await tx.action.findUniqueOrThrow({
        where: { id },
        select: { key: true, name: true, description: true, category: true, risk: true, system: { select: { key: true } } },
      });
      await tx.action.delete({ where: { id } });
      await notifyChange(tx, { kind: "catalog", id });
      await recordAudit(tx, actor, {
        type: "catalog.action.deleted",
        subjectType: "action",
        subjectId: id,
        data: { before: { system: system.key, ...before }, after: null },
      });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new AppError("conflict", `The action ${key} came into use meanwhile; it was not deleted.`);
    throw error;
  }
}

function inUse(key: string, agents: number, lines: number, policies: number): AppError {
  const uses = [
    ...(lines > 0 ? [`${plural(agents, "agent")} use${agents === 1 ? "s" : ""} it (${plural(lines, "list line")})`] : []),
    ...(policies > 0 ? [`${plural(policies, "global policy", "global policies")} name${policies === 1 ? "s" : ""} it`] : []),
  ];
  return new AppError("conflict", `The action ${key} is in use: ${uses.join(" and ")}. Remove those first.`);
}

function plural(count: number, singular: string, many = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : many}`;
}
