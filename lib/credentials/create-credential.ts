// Issues an agent API key. The whole key is returned once to the caller and never stored;
// the row keeps the public prefix and the hash of the secret. Run it inside a transaction
// (db().$transaction) so the credential and its audit row commit together.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { generateAgentKey } from "@/lib/credentials/key-format";
import type { Tx } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";

export const createCredentialSchema = z.object({
  agentId: z.uuid(),
  label: z.string().trim().min(1, "Give the key a label.").max(100, "Use at most 100 characters."),
  expiresAt: z.coerce
    .date()
    .refine((date) => date.getTime() > Date.now(), "The expiry must be in the future.")
    .optional(),
});

export type CreateCredentialInput = z.input<typeof createCredentialSchema>;

export interface CreatedCredential {
  id: string;
  /** Shown once. */
  key: string;
  prefix: string;
}

export async function createCredential(tx: Tx, actor: Actor, input: CreateCredentialInput): Promise<CreatedCredential> {
  const parsed = createCredentialSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The credential is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, label, expiresAt } = parsed.data;

  const agent = await tx.agent.findUnique({ where: { id: agentId }, select: { id: true, status: true } });
  if (!agent) throw new AppError("not_found", "No such agent.");
  if (agent.status === "retired") throw new AppError("conflict", "A retired agent cannot be given a new key.");

  const { key, prefix, secretHash } = generateAgentKey();
  const credential = await tx.credential.create({
    data: {
      agentId,
      prefix,
      secretHash,
      label,
      expiresAt: expiresAt ?? null,
      createdById: actor.type === "person" ? actor.personId : null,
    },
    select: { id: true },
  });

  await recordAudit(tx, actor, {
    type: "credential.created",
    agentId,
    subjectType: "credential",
    subjectId: credential.id,
    data: { label, prefix, expiresAt: expiresAt?.toISOString() ?? null },
  });

  return { id: credential.id, key, prefix };
}
