// Gives a person exactly the roles listed. Nobody changes their own roles (an admin cannot
// quietly widen or keep their own power), and the last enabled admin keeps theirs.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { Role } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { assertAdminRemains, assertStillAdmin, lockAdminsAnd } from "@/lib/people/lock-admins";

const ROLE_ORDER = Object.values(Role);

export const rolesSchema = z
  .array(z.enum(Role, { error: `Roles are ${ROLE_ORDER.join(", ")}.` }), { error: "Give a list of roles." })
  .max(ROLE_ORDER.length * 2, "Too many roles.")
  // One canonical order, so "the same roles" compares equal and the audit reads the same way.
  .transform((roles) => ROLE_ORDER.filter((role) => roles.includes(role)));

const schema = z.strictObject({ personId: z.uuid("No such person."), roles: rolesSchema });

export type SetPersonRolesInput = z.input<typeof schema>;

export async function setPersonRoles(person: Caller, actor: Actor, input: SetPersonRolesInput): Promise<{ id: string; roles: Role[] }> {
  assertCan(person, "people.manage");
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The roles are not valid.", fieldsFromZod(parsed.error.issues));
  const { personId, roles } = parsed.data;
  if (personId === person.id) throw new AppError("forbidden", "You cannot change your own roles; ask another admin.");

  return db().$transaction(async (tx) => {
    const lock = await lockAdminsAnd(tx, personId);
    const before = ROLE_ORDER.filter((role) => lock.target.roles.includes(role));
    assertAdminRemains(lock, !lock.target.disabled && before.includes("admin") && !roles.includes("admin"));
    assertStillAdmin(lock, person.id);
    if (before.join() === roles.join()) return { id: personId, roles };

    await tx.person.update({ where: { id: personId }, data: { roles } });
    await recordAudit(tx, actor, {
      type: "person.roles_changed",
      subjectType: "person",
      subjectId: personId,
      data: { email: lock.target.email, before: { roles: before }, after: { roles } },
    });
    return { id: personId, roles };
  });
}
