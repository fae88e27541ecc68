// An admin adds a person. Mandate generates their first password and hands it to the admin once
// (to pass on out of band); with single sign-on configured the admin may instead add someone
// who only ever signs in through the identity provider, and so has no password at all.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { oidcConfig } from "@/lib/auth/oidc";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { createPerson, createPersonSchema, type CreatedPerson } from "@/lib/people/create-person";
import { oneTimePassword } from "@/lib/people/one-time-password";

export const SIGN_IN_METHODS = ["password", "sso"] as const;

// Strict: the admin never picks the password (nor anything else createPerson would ignore).
const schema = z.strictObject({
  ...createPersonSchema.omit({ password: true }).shape,
  signIn: z.enum(SIGN_IN_METHODS, { error: "Pick how the person signs in." }).default("password"),
});

export type InvitePersonInput = z.input<typeof schema>;

export interface Invitation {
  person: CreatedPerson;
  /** The one-time password to hand over, or null for a single-sign-on-only person. */
  initialPassword: string | null;
}

export async function invitePerson(
  person: Caller,
  actor: Actor,
  input: InvitePersonInput,
  env: Record<string, string | undefined> = process.env,
): Promise<Invitation> {
  assertCan(person, "people.manage");
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The person is not valid.", fieldsFromZod(parsed.error.issues));
  const { email, name, roles, signIn } = parsed.data;
  if (signIn === "sso" && !oidcConfig(env)) {
    throw new AppError("unprocessable", "Single sign-on is not configured, so this person needs a password.", [
      { path: "signIn", message: "Single sign-on is not configured." },
    ]);
  }

  const initialPassword = signIn === "password" ? oneTimePassword({ email, name }) : null;
  // The admin sees the password: the person must replace it at their first sign-in.
  const created = await db().$transaction((tx) =>
    createPerson(tx, actor, { email, name, roles, ...(initialPassword ? { password: initialPassword } : {}) }, { issuedPassword: true }),
  );
  return { person: created, initialPassword };
}
