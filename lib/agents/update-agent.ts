// Edits an agent's name, purpose and environment (admin). The slug is its stable address and
// does not change. Only the fields that actually change reach the audit row.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { agentEnvironmentSchema, agentNameSchema, agentPurposeSchema } from "@/lib/agents/agent-schema";
import { loadManagedAgent, refuseIfRetired } from "@/lib/agents/load-managed-agent";
import type { Caller } from "@/lib/people/assert-can";

export const updateAgentSchema = z
  .object({
    agentId: z.uuid(),
    name: agentNameSchema.optional(),
    purpose: agentPurposeSchema.optional(),
    environment: agentEnvironmentSchema.optional(),
  })
  .refine((input) => input.name !== undefined || input.purpose !== undefined || input.environment !== undefined, "Change at least one field.");

export type UpdateAgentInput = z.input<typeof updateAgentSchema>;

type Field = "name" | "purpose" | "environment";
const FIELDS: readonly Field[] = ["name", "purpose", "environment"];

export async function updateAgent(person: Caller, actor: Actor, input: unknown): Promise<{ slug: string; changed: Field[] }> {
  const parsed = updateAgentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The agent is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId } = parsed.data;

  return db().$transaction(async (tx) => {
    const agent = await loadManagedAgent(tx, person, agentId);
    refuseIfRetired(agent);
    const changed = FIELDS.filter((field) => parsed.data[field] !== undefined && parsed.data[field] !== agent[field]);
    if (changed.length === 0) return { slug: agent.slug, changed };

    const after = Object.fromEntries(changed.map((field) => [field, parsed.data[field] as string]));
    const before = Object.fromEntries(changed.map((field) => [field, agent[field]]));
    await tx.agent.update({ where: { id: agentId }, data: after });
    await notifyChange(tx, { kind: "agent", id: agentId, agentId });
    await recordAudit(tx, actor, { type: "agent.updated", agentId, subjectType: "agent", subjectId: agentId, data: { before, after } });
    return { slug: agent.slug, changed };
  });
}
