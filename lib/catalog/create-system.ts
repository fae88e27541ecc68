// Adds a system (crm, payments …) to the catalog; its actions follow with createAction. Every
// catalog and policy change also notifies (lib/db/notify.ts) in its transaction, so the decision
// caches of every instance drop what they hold at commit.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { systemSchema, type SystemInput } from "@/lib/catalog/catalog-schema";
import { isUniqueViolation } from "@/lib/catalog/prisma-errors";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export interface SystemRecord {
  id: string;
  key: string;
  name: string;
  description: string;
}

export async function createSystem(person: Caller, actor: Actor, input: SystemInput): Promise<SystemRecord> {
  assertCan(person, "catalog.manage");
  const parsed = systemSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The system is not valid.", fieldsFromZod(parsed.error.issues));
  const { key, name, description } = parsed.data;

  return db().$transaction(async (tx) => {
    if (await tx.system.findUnique({ where: { key }, select: { id: true } })) throw duplicate(key);
    let system: SystemRecord;
    try {
      system = await tx.system.create({ data: { key, name, description }, select: { id: true, key: true, name: true, description: true } });
    } catch (error) {
      // Two admins adding the same key at once: the unique index decides.
      if (isUniqueViolation(error)) throw duplicate(key);
      throw error;
    }
    await notifyChange(tx, { kind: "catalog", id: system.id });
    await recordAudit(tx, actor, {
      type: "catalog.system.created",
      subjectType: "system",
      subjectId: system.id,
      data: { before: null, after: { key, name, description } },
    });
    return system;
  });
}

function duplicate(key: string): AppError {
  return new AppError("conflict", `A system with the key ${key} already exists.`, [{ path: "key", message: "This key is taken." }]);
}
