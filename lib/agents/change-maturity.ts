// Promotes or demotes an agent (admin), one step or straight to a level, always with a reason.
// Maturity caps what the engine lets the agent do (DESIGN.md section 5 step 6), so every change
// is audited with who, why, and from → to.
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { Maturity } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { MATURITY_ORDER, stepMaturity } from "@/lib/agents/agent-lifecycle";
import { loadManagedAgent, refuseIfRetired } from "@/lib/agents/load-managed-agent";
import type { Caller } from "@/lib/people/assert-can";

export const MATURITY_REASON_MIN = 10;

export const changeMaturitySchema = z
  .object({
    agentId: z.uuid(),
    change: z.enum(["promote", "demote"]).optional(),
    to: z.enum(Maturity).optional(),
    reason: z
      .string({ error: "Give a reason." })
      .trim()
      .min(MATURITY_REASON_MIN, `Give a reason of at least ${MATURITY_REASON_MIN} characters.`)
      .max(1000, "Keep the reason under 1,000 characters."),
  })
  .refine((input) => (input.change === undefined) !== (input.to === undefined), { message: "Either promote/demote one step or name a level.", path: ["change"] });

export type ChangeMaturityInput = z.input<typeof changeMaturitySchema>;

export async function changeMaturity(person: Caller, actor: Actor, input: unknown): Promise<{ slug: string; maturity: Maturity }> {
  const parsed = changeMaturitySchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The maturity change is not valid.", fieldsFromZod(parsed.error.issues));
  const { agentId, change, to, reason } = parsed.data;

  return db().$transaction(async (tx) => {
    const agent = await loadManagedAgent(tx, person, agentId);
    refuseIfRetired(agent);
    const target = change ? stepMaturity(agent.maturity, change) : (to as Maturity);
    if (!target) throw new AppError("conflict", `${agent.slug} is already ${agent.maturity}: it cannot be ${change}d further.`);
    if (target === agent.maturity) throw new AppError("conflict", `${agent.slug} is already ${target}.`);
    const direction = MATURITY_ORDER.indexOf(target) > MATURITY_ORDER.indexOf(agent.maturity) ? "promote" : "demote";

    // Conditional on the level read: two admins changing it at once cannot both apply.
    const updated = await tx.agent.updateMany({ where: { id: agentId, maturity: agent.maturity }, data: { maturity: target } });
    if (updated.count !== 1) throw new AppError("conflict", "The agent's maturity changed in the meantime; reload and try again.");
    // The maturity cap is read on the decision hot path: instances caching this agent drop it at commit.
    await notifyChange(tx, { kind: "agent", id: agentId, agentId });
    await recordAudit(tx, actor, {
      type: "agent.maturity_changed",
      agentId,
      subjectType: "agent",
      subjectId: agentId,
      data: { before: { maturity: agent.maturity }, after: { maturity: target }, direction, reason },
    });
    return { slug: agent.slug, maturity: target };
  });
}
