// Replaces an agent's business owners (at least one) and technical owner (admin). Owners hold the
// kill switch, so every one named must be an enabled person.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { agentOwnersShape, TECHNICAL_OWNER_DIFFERS, technicalOwnerDiffers } from "@/lib/agents/agent-schema";
import { assertPeopleUsable, ownerRefs } from "@/lib/agents/assert-people";
import { loadManagedAgent, refuseIfRetired } from "@/lib/agents/load-managed-agent";
import type { Caller } from "@/lib/people/assert-can";

export const setAgentOwnersSchema = z.object({ agentId: z.uuid(), ...agentOwnersShape }).refine(technicalOwnerDiffers, TECHNICAL_OWNER_DIFFERS);

export type SetAgentOwnersInput = z.input<typeof setAgentOwnersSchema>;

export async function setAgentOwners(person: Caller, actor: Actor, input: unknown): Promise<{ slug: string; changed: boolean }> {
  const parsed = setAgentOwnersSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The owners are not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, ownerIds, technicalOwnerId } = parsed.data;

  return db().$transaction(async (tx) => {
    const agent = await loadManagedAgent(tx, person, agentId);
    refuseIfRetired(agent);
    const current = agent.owners.map((owner) => owner.personId);
    const same = current.length === ownerIds.length && current.every((id, index) => id === ownerIds[index]) && agent.technicalOwnerId === technicalOwnerId;
    if (same) return { slug: agent.slug, changed: false };

    const people = await assertPeopleUsable(tx, ownerRefs(ownerIds, technicalOwnerId));
    const known = await tx.person.findMany({
      where: { id: { in: [...current, ...(agent.technicalOwnerId ? [agent.technicalOwnerId] : [])] } },
      select: { id: true, email: true },
    });
    const email = (id: string) => people.get(id)?.email ?? known.find((person) => person.id === id)?.email ?? id;

    const now = Date.now();
    await tx.agentOwner.deleteMany({ where: { agentId } });
    await tx.agentOwner.createMany({ data: ownerIds.map((personId, index) => ({ agentId, personId, createdAt: new Date(now + index) })) });
    await tx.agent.update({ where: { id: agentId }, data: { technicalOwnerId } });
    await notifyChange(tx, { kind: "agent", id: agentId, agentId });
    await recordAudit(tx, actor, {
      type: "agent.owners_changed",
      agentId,
      subjectType: "agent",
      subjectId: agentId,
      data: {
        before: { owners: current.map(email), technicalOwner: agent.technicalOwnerId ? email(agent.technicalOwnerId) : null },
        after: { owners: ownerIds.map(email), technicalOwner: technicalOwnerId ? email(technicalOwnerId) : null },
      },
    });
    return { slug: agent.slug, changed: true };
  });
}
