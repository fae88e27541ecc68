// A person revokes one of an agent's keys, found by id or by its public prefix, and only among
// that agent's keys (a key of another agent is "not found"). Run it inside db().$transaction:
// the revocation and its audit row commit together, and the next verification fails at once.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { PREFIX_LENGTH } from "@/lib/credentials/key-format";
import type { Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";

export const revocationReason = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
);

export const revokeCredentialSchema = z
  .object({
    agentId: z.uuid("Unknown agent."),
    credentialId: z.uuid("Unknown key.").optional(),
    prefix: z
      .string()
      .trim()
      .regex(new RegExp(`^[0-9A-Za-z]{${PREFIX_LENGTH}}$`), `A prefix is ${PREFIX_LENGTH} letters and digits.`)
      .optional(),
    reason: revocationReason,
  })
  .refine((input) => (input.credentialId === undefined) !== (input.prefix === undefined), {
    message: "Name the key by its id or by its prefix.",
    path: ["credentialId"],
  });

export type RevokeCredentialInput = z.input<typeof revokeCredentialSchema>;

export interface RevokedCredential {
  id: string;
  prefix: string;
  label: string;
  revokedAt: Date;
}

export async function revokeCredential(
  tx: Tx,
  person: { id: string; roles: readonly Role[] },
  actor: Actor,
  input: RevokeCredentialInput,
): Promise<RevokedCredential> {
  const parsed = revokeCredentialSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The revocation is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, credentialId, prefix, reason } = parsed.data;

  await assertAgentRight(tx, person, agentId, "agent.credentials");
  const credential = await tx.credential.findFirst({
    where: { agentId, ...(credentialId ? { id: credentialId } : { prefix }) },
    select: { id: true, prefix: true, label: true, expiresAt: true, revokedAt: true },
  });
  if (!credential) throw new AppError("not_found", "This agent has no such key.");

  const revokedAt = new Date();
  // Conditional on "not yet revoked", so two revocations racing each other cannot both win.
  const { count } = await tx.credential.updateMany({
    where: { id: credential.id, revokedAt: null },
    data: { revokedAt, revokedById: actor.type === "person" ? actor.personId : null },
  });
  if (count === 0) throw new AppError("conflict", `The key ${credential.prefix} is already revoked.`);

  await recordAudit(tx, actor, {
    type: "credential.revoked",
    agentId,
    subjectType: "credential",
    subjectId: credential.id,
    data: {
      prefix: credential.prefix,
      label: credential.label,
      before: { revokedAt: null },
      after: { revokedAt: revokedAt.toISOString() },
      ...(reason ? { reason } : {}),
    },
  });
  // Delivered at commit: any instance caching keys drops this one.
  await notifyChange(tx, { kind: "credential", id: credential.id, agentId });
  return { id: credential.id, prefix: credential.prefix, label: credential.label, revokedAt };
}
