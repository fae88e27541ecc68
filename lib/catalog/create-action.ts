// Adds an action to a system. Its key (crm.contact.read) is what agents ask for and what
// written lists name, so it must sit under its system's key and is fixed from now on.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { actionSchema, type ActionInput } from "@/lib/catalog/catalog-schema";
import { isForeignKeyViolation, isUniqueViolation } from "@/lib/catalog/prisma-errors";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import type { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export interface ActionRecord {
  id: string;
  key: string;
  name: string;
  description: string;
  category: ActionCategory;
  risk: RiskLevel;
}

export const actionRecordSelect = { id: true, key: true, name: true, description: true, category: true, risk: true } as const;

export async function createAction(person: Caller, actor: Actor, input: ActionInput): Promise<ActionRecord> {
  assertCan(person, "catalog.manage");
  const parsed = actionSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The action is not valid.", fieldsFromZod(parsed.error.issues));
  const { systemKey, key, name, description, category, risk } = parsed.data;

  try {
    return await db().$transaction(async (tx) => {
      const system = await tx.system.findUnique({ where: { key: systemKey }, select: { id: true } });
      if (!system) throw unknownSystem(systemKey);
      if (await tx.action.findUnique({ where: { key }, select: { id: true } })) throw duplicate(key);

      const action = await tx.action.create({ data: { systemId: system.id, key, name, description, category, risk }, select: actionRecordSelect });
      await notifyChange(tx, { kind: "catalog", id: action.id });
      await recordAudit(tx, actor, {
        type: "catalog.action.created",
        subjectType: "action",
        subjectId: action.id,
        data: { before: null, after: { system: systemKey, key, name, description, category, risk } },
      });
      return action;
    });
  } catch (error) {
    // Races the checks above cannot see: the same key added at once, or the system deleted meanwhile.
    if (isUniqueViolation(error)) throw duplicate(key);
    if (isForeignKeyViolation(error)) throw unknownSystem(systemKey);
    throw error;
  }
}

function duplicate(key: string): AppError {
  return new AppError("conflict", `An action with the key ${key} already exists.`, [{ path: "key", message: "This key is taken." }]);
}

function unknownSystem(systemKey: string): AppError {
  return new AppError("unprocessable", `There is no system ${systemKey}.`, [{ path: "systemKey", message: "Pick a system of the catalog." }]);
}
