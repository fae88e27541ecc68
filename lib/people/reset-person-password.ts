// Gives a person a new generated password, shown once to the admin, and lifts any sign-in lock.
// The old password stops working at once; the person must replace the new one at their next
// sign-in (lib/people/change-own-password.ts), since the admin knows it.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { oneTimePassword } from "@/lib/people/one-time-password";

const schema = z.strictObject({ personId: z.uuid("No such person.") });

export interface PasswordReset {
  id: string;
  email: string;
  /** Shown to the admin once; never stored or audited in clear. */
  password: string;
}

export async function resetPersonPassword(person: Caller, actor: Actor, input: { personId: string }, now = new Date()): Promise<PasswordReset> {
  assertCan(person, "people.manage");
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Name the person.", fieldsFromZod(parsed.error.issues));
  const { personId } = parsed.data;

  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM person WHERE id = ${personId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "No such person.");
    const target = await tx.person.findUniqueOrThrow({
      where: { id: personId },
      select: { email: true, name: true, passwordHash: true, failedLoginCount: true, lockedUntil: true },
    });
    const password = oneTimePassword(target);
    const passwordHash = await hashPassword(password);
    // The admin has seen it: the person must choose their own before doing anything else.
    await tx.person.update({ where: { id: personId }, data: { passwordHash, mustChangePassword: true, failedLoginCount: 0, lockedUntil: null, lastFailedAt: null } });
    await recordAudit(tx, actor, {
      type: "person.password_reset",
      subjectType: "person",
      subjectId: personId,
      data: {
        email: target.email,
        before: { hadPassword: target.passwordHash !== null, failedLoginCount: target.failedLoginCount, locked: target.lockedUntil !== null && target.lockedUntil > now },
        after: { hadPassword: true, failedLoginCount: 0, locked: false, mustChangePassword: true },
      },
    });
    return { id: personId, email: target.email, password };
  });
}
