// The inputs of the kill switch's use cases (person side). Killing takes no reason by default —
// it is one click — while undoing a stop (revive, resume) always says why.
import { z } from "zod";
import { KillMode } from "@/lib/generated/prisma/enums";

export const REVIVE_REASON_MIN = 3;
/** As long as a promotion or demotion needs (lib/agents/change-maturity.ts): keeping a level is a maturity decision. */
export const KEEP_MATURITY_REASON_MIN = 10;
export const DRILL_THRESHOLD_MS = { default: 1000, min: 100, max: 30_000 } as const;

const reasonText = z.string({ error: "Give a reason." }).trim().max(1000, "Keep the reason under 1,000 characters.");
const optionalReason = reasonText.optional().transform((reason) => reason || undefined);
const requiredReason = (min: number) => reasonText.min(min, `Give a reason of at least ${min} characters.`);
const agentId = z.uuid("Unknown agent.");

export const killAgentSchema = z.object({
  agentId,
  mode: z.enum(KillMode).default("graceful"),
  reason: optionalReason,
});

export const reviveAgentSchema = z.object({
  agentId,
  reason: requiredReason(REVIVE_REASON_MIN),
  /** Admins only: a kill is an incident, so a revived agent starts over at intern unless this says why not. */
  keepMaturity: z.object({ reason: requiredReason(KEEP_MATURITY_REASON_MIN) }).optional(),
});

export const stopAllSchema = z.object({
  mode: z.enum(KillMode).default("graceful"),
  reason: optionalReason,
});

export const resumeAllSchema = z.object({ reason: requiredReason(REVIVE_REASON_MIN) });

export const killCapabilitySchema = z.object({
  /** An action key of the catalog (crm.contact.delete) or a category (financial). */
  capability: z.string({ error: "Name an action or a category." }).trim().min(1, "Name an action or a category.").max(200),
  /** One agent; absent means every agent. */
  agentId: agentId.optional(),
  reason: optionalReason,
});

export const restoreCapabilitySchema = z.object({
  killId: z.uuid("Unknown capability kill."),
  reason: optionalReason,
});

export const startDrillSchema = z.object({
  agentId,
  thresholdMs: z
    .number()
    .int()
    .min(DRILL_THRESHOLD_MS.min, `At least ${DRILL_THRESHOLD_MS.min} ms.`)
    .max(DRILL_THRESHOLD_MS.max, `At most ${DRILL_THRESHOLD_MS.max} ms.`)
    .default(DRILL_THRESHOLD_MS.default),
});

export type KillAgentInput = z.input<typeof killAgentSchema>;
export type ReviveAgentInput = z.input<typeof reviveAgentSchema>;
export type StopAllInput = z.input<typeof stopAllSchema>;
export type ResumeAllInput = z.input<typeof resumeAllSchema>;
export type KillCapabilityInput = z.input<typeof killCapabilitySchema>;
export type RestoreCapabilityInput = z.input<typeof restoreCapabilitySchema>;
export type StartDrillInput = z.input<typeof startDrillSchema>;
