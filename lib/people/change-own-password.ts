// A person replaces their password with one of their own choosing: after an admin issued one (an
// invitation, a reset — the console admits them nowhere else until then) or whenever they like.
// The current password is asked for, so a session left open is not enough to take the account
// over, and wrong answers count toward the same lock as wrong sign-ins. The new hash changes the session stamp, so every session opened with the old password —
// this one included — ends at its next request; the person signs in again with the new one.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { verifyOwnPassword, type AuthenticateOptions } from "@/lib/auth/authenticate";
import { hashPassword, passwordWeakness } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";

export const changeOwnPasswordSchema = z
  .strictObject({
    current: z.string().min(1, "Enter your current password.").max(1_000, "That is not your current password."),
    next: z.string().max(1_000, "Use at most 1,000 characters."),
    confirm: z.string().max(1_000),
  })
  .refine((input) => input.next === input.confirm, { path: ["confirm"], message: "The two new passwords differ." });

export type ChangeOwnPasswordInput = z.input<typeof changeOwnPasswordSchema>;

export async function changeOwnPassword(person: { id: string }, actor: Actor, input: unknown, options: AuthenticateOptions = {}): Promise<void> {
  const parsed = changeOwnPasswordSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", fieldsFromZod(parsed.error.issues));
  const { current, next } = parsed.data;

  const stored = await db().person.findUnique({
    where: { id: person.id },
    select: { email: true, name: true, passwordHash: true, mustChangePassword: true },
  });
  if (!stored) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
  if (stored.passwordHash === null) {
    throw new AppError("conflict", "You sign in through single sign-on: there is no Mandate password to change.");
  }
  // Under the sign-in brake: a session left open does not buy unlimited guesses (audited there).
  const checked = await verifyOwnPassword(person.id, current, actor, options);
  if (!checked.ok && checked.reason === "locked") {
    throw new AppError("validation_failed", checked.message, [{ path: "current", message: checked.message }]);
  }
  if (!checked.ok) {
    throw new AppError("validation_failed", "That is not your current password.", [{ path: "current", message: "That is not your current password." }]);
  }
  const weakness = passwordWeakness(next, { email: stored.email, name: stored.name });
  if (weakness) throw new AppError("validation_failed", `The new password is too weak: ${weakness}`, [{ path: "next", message: weakness }]);
  if (next === current) throw new AppError("validation_failed", "Choose a password different from the current one.", [{ path: "next", message: "Choose a different password." }]);

  const passwordHash = await hashPassword(next);
  await db().$transaction(async (tx) => {
    // Conditional on the hash just verified: of two changes at once, the second finds it gone.
    const { count } = await tx.person.updateMany({ where: { id: person.id, passwordHash: stored.passwordHash }, data: { passwordHash, mustChangePassword: false } });
    if (count !== 1) throw new AppError("conflict", "Your password changed meanwhile. Sign in again.");
    await recordAudit(tx, actor, {
      type: "person.password_changed",
      subjectType: "person",
      subjectId: person.id,
      data: { before: { mustChangePassword: stored.mustChangePassword }, after: { mustChangePassword: false } },
    });
  });
}
