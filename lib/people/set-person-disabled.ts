// Disables or re-enables an account. A disabled person is refused on their next request (the
// console reads the flag on every request). Nobody disables themselves, and the last enabled
// admin stays enabled.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { assertAdminRemains, assertStillAdmin, lockAdminsAnd } from "@/lib/people/lock-admins";

const schema = z.strictObject({
  personId: z.uuid("No such person."),
  disabled: z.boolean({ error: "Say whether the account is disabled." }),
});

export type SetPersonDisabledInput = z.input<typeof schema>;

export async function setPersonDisabled(person: Caller, actor: Actor, input: SetPersonDisabledInput): Promise<{ id: string; disabled: boolean }> {
  assertCan(person, "people.manage");
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The change is not valid.", fieldsFromZod(parsed.error.issues));
  const { personId, disabled } = parsed.data;
  if (personId === person.id) throw new AppError("forbidden", "You cannot disable or enable your own account.");

  return db().$transaction(async (tx) => {
    const lock = await lockAdminsAnd(tx, personId);
    const { target } = lock;
    assertAdminRemains(lock, disabled && !target.disabled && target.roles.includes("admin"));
    assertStillAdmin(lock, person.id);
    if (target.disabled === disabled) return { id: personId, disabled };

    await tx.person.update({ where: { id: personId }, data: { disabled } });
    await recordAudit(tx, actor, {
      type: disabled ? "person.disabled" : "person.enabled",
      subjectType: "person",
      subjectId: personId,
      data: { email: target.email, before: { disabled: target.disabled }, after: { disabled } },
    });
    return { id: personId, disabled };
  });
}
