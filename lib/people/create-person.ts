// Adds a person who can sign in to the console. Run it inside a transaction
// (db().$transaction) so the person and the audit row commit together. The password, when
// given, is stored only as a scrypt hash and never reaches the audit.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { hashPassword, passwordWeakness } from "@/lib/auth/password";
import type { Tx } from "@/lib/db/client";
import { Role } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";

export const createPersonSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "Use at most 254 characters.")
    .pipe(z.email("Enter a valid e-mail address.")),
  name: z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters."),
  roles: z
    .array(z.enum(Role, { error: `Roles are ${Object.values(Role).join(", ")}.` }))
    .default([])
    .transform((roles) => [...new Set(roles)]),
  // Length limits live in passwordWeakness, which also gives the reason.
  password: z.string().optional(),
});

export type CreatePersonInput = z.input<typeof createPersonSchema>;

export interface CreatedPerson {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

/**
 * `issuedPassword`: the password was made for the person by someone else (an admin's invitation),
 * so they must choose their own at their first sign-in. Not for the operator's own first admin.
 */
export async function createPerson(tx: Tx, actor: Actor, input: CreatePersonInput, options: { issuedPassword?: boolean } = {}): Promise<CreatedPerson> {
  const parsed = createPersonSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The person is not valid.", fieldsFromZod(parsed.error.issues));
  const { email, name, roles, password } = parsed.data;

  if (password !== undefined) {
    const weakness = passwordWeakness(password, { email, name });
    if (weakness) throw new AppError("validation_failed", `The password is too weak: ${weakness}`, [{ path: "password", message: weakness }]);
  }

  const existing = await tx.person.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new AppError("conflict", `Someone with the e-mail ${email} already exists.`);

  const passwordHash = password === undefined ? null : await hashPassword(password);
  let person: CreatedPerson;
  try {
    person = await tx.person.create({
      data: { email, name, roles, passwordHash, mustChangePassword: passwordHash !== null && options.issuedPassword === true },
      select: { id: true, email: true, name: true, roles: true },
    });
  } catch (error) {
    // Two concurrent creations of the same e-mail: the unique index decides.
    if (isUniqueViolation(error)) throw new AppError("conflict", `Someone with the e-mail ${email} already exists.`);
    throw error;
  }

  await recordAudit(tx, actor, {
    type: "person.created",
    subjectType: "person",
    subjectId: person.id,
    data: { email, name, roles, withPassword: password !== undefined, mustChangePassword: password !== undefined && options.issuedPassword === true },
  });
  return person;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}
