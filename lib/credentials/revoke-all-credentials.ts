// Revokes every key of an agent that is not revoked yet (an expired one too, so the list says
// plainly that nothing can call as this agent). Rotation after a leak, and retirement, use it.
// Run inside db().$transaction: the keys and the one audit row commit together.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { revocationReason } from "@/lib/credentials/revoke-credential";
import type { Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";

export const revokeAllCredentialsSchema = z.object({
  agentId: z.uuid("Unknown agent."),
  reason: revocationReason,
});

export type RevokeAllCredentialsInput = z.input<typeof revokeAllCredentialsSchema>;

export interface RevokedAll {
  /** Prefixes of the keys revoked now; empty when none was left (nothing is written then). */
  prefixes: string[];
  revokedAt: Date;
}

export async function revokeAllCredentials(
  tx: Tx,
  person: { id: string; roles: readonly Role[] },
  actor: Actor,
  input: RevokeAllCredentialsInput,
): Promise<RevokedAll> {
  const parsed = revokeAllCredentialsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The revocation is not valid.", fieldsFromZod(parsed.error.issues));
  await assertAgentRight(tx, person, parsed.data.agentId, "agent.credentials");
  return revokeAgentKeys(tx, actor, parsed.data.agentId, parsed.data.reason);
}

/**
 * The unchecked core, for use cases that have already decided (retiring an agent revokes its
 * keys under the retire right). Writes the `credential.revoked_all` audit row when it revoked any.
 */
export async function revokeAgentKeys(tx: Tx, actor: Actor, agentId: string, reason?: string): Promise<RevokedAll> {
  const revokedAt = new Date();
  // Lock the agent's unrevoked keys first, so the prefixes audited are exactly the ones revoked.
  const live = await tx.$queryRaw<Array<{ id: string; prefix: string }>>`
    select id::text as id, prefix from credential
    where agent_id = ${agentId}::uuid and revoked_at is null
    order by created_at
    for update`;
  if (live.length === 0) return { prefixes: [], revokedAt };

  await tx.credential.updateMany({
    where: { id: { in: live.map((key) => key.id) }, revokedAt: null },
    data: { revokedAt, revokedById: actor.type === "person" ? actor.personId : null },
  });
  const prefixes = live.map((key) => key.prefix);
  await recordAudit(tx, actor, {
    type: "credential.revoked_all",
    agentId,
    subjectType: "agent",
    subjectId: agentId,
    data: {
      prefixes,
      count: prefixes.length,
      before: { live: prefixes },
      after: { live: [] },
      revokedAt: revokedAt.toISOString(),
      ...(reason ? { reason } : {}),
    },
  });
  // Delivered at commit; no id means "every key of this agent".
  await notifyChange(tx, { kind: "credential", agentId });
  return { prefixes, revokedAt };
}
