// A person issues one of an agent's API keys: the same right as revoking (admin, the agent's
// owners, its technical owner), an expiry within two years, then createCredential. Run it inside
// db().$transaction so the key and its audit row commit together.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { createCredential, type CreatedCredential } from "@/lib/credentials/create-credential";
import type { Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";

/** Keys outliving two years are forgotten keys; rotation is cheap (several may be live). */
export const MAX_KEY_LIFETIME_YEARS = 2;

export const createAgentKeySchema = z.object({
  agentId: z.uuid("Unknown agent."),
  label: z.string().trim().min(1, "Give the key a label.").max(100, "Use at most 100 characters."),
  // An empty form field means "no expiry".
  expiresAt: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.coerce.date({ error: "Use a date like 2027-01-31." }).optional(),
  ),
});

export type CreateAgentKeyInput = z.input<typeof createAgentKeySchema>;

export async function createAgentKey(
  tx: Tx,
  person: { id: string; roles: readonly Role[] },
  actor: Actor,
  input: CreateAgentKeyInput,
  now: Date = new Date(),
): Promise<CreatedCredential> {
  const parsed = createAgentKeySchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The key is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, label, expiresAt } = parsed.data;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw expiryError("The expiry must be in the future.");
  if (expiresAt && expiresAt.getTime() > latestExpiry(now).getTime()) throw expiryError("The expiry must be within two years.");

  await assertAgentRight(tx, person, agentId, "agent.credentials");
  return createCredential(tx, actor, { agentId, label, expiresAt });
}

export function latestExpiry(now: Date): Date {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_KEY_LIFETIME_YEARS);
  return limit;
}

function expiryError(message: string): AppError {
  return new AppError("validation_failed", message, [{ path: "expiresAt", message }]);
}
