// The signed-in person, fresh from the database on every request: a role change, a disabled
// account or a password reset takes effect on the next click, whatever the session cookie says.
import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { authOptions, sessionSecret, withinSessionLimit } from "@/lib/auth/options";
import { stampMatches } from "@/lib/auth/password-stamp";
import type { Role } from "@/lib/generated/prisma/enums";

export interface CurrentPerson {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** An admin issued the password and the person has not chosen their own yet (lib/auth/guard.ts). */
  mustChangePassword: boolean;
}

const personId = z.uuid();

/**
 * Null when signed out, when the person no longer exists, when the account is disabled, or when the
 * password changed since the session was opened (a session without a stamp is from before stamps
 * existed, or forged: refused as well), or when the session is older than its absolute limit.
 */
export const currentPerson = cache(async (): Promise<CurrentPerson | null> => {
  const session = await getServerSession(authOptions);
  const id = personId.safeParse(session?.personId);
  if (!id.success) return null;
  if (!withinSessionLimit(session?.signedInAt, Date.now())) return null;
  const person = await db().person.findUnique({
    where: { id: id.data },
    select: { id: true, email: true, name: true, roles: true, disabled: true, passwordHash: true, mustChangePassword: true },
  });
  if (!person || person.disabled) return null;
  if (!stampMatches(sessionSecret(), session?.stamp, person.passwordHash)) return null;
  return { id: person.id, email: person.email, name: person.name, roles: person.roles, mustChangePassword: person.mustChangePassword };
});
