"use server";
// The kill switch's server actions, shared by the agent page (header and kill switch tab) and the
// overview. The wrapper only requires a signed-in, enabled person: each use case checks the
// per-agent right (owner, technical owner, admin) or the fleet right (fleet.stop_all) itself and
// audits a refusal — which a refusal by the wrapper would not be. Someone pressing a switch they
// do not hold is exactly what the audit should show.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { consoleAction } from "@/lib/auth/action";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { killAgent } from "@/lib/kill/kill-agent";
import { killCapability, restoreCapability } from "@/lib/kill/kill-capability";
import { reviveAgentSchema } from "@/lib/kill/kill-schemas";
import { reviveAgent } from "@/lib/kill/revive-agent";
import { startDrill } from "@/lib/kill/start-drill";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";

const agentPages = (slug: string) => {
  revalidatePath(`/agents/${encodeURIComponent(slug)}`, "layout");
  revalidatePath("/");
};

// Forms send "" for an empty field and a checkbox's value only when ticked.
const blank = (value: unknown) => (value === "" ? undefined : value);
const agentId = z.string();

const killForm = z.object({ agentId, mode: z.preprocess(blank, z.string().optional()), reason: z.preprocess(blank, z.string().optional()) });

export const killAgentAction = consoleAction("agents.view", killForm, async ({ input, person, actor }) => {
  const result = await killAgent(person, actor, input);
  agentPages(result.slug);
  return {
    message: result.changed ? `${result.name} is killed (${result.mode}).` : `${result.name} was already killed (${result.mode}); nothing changed.`,
  };
});

const reviveForm = z.object({
  agentId,
  reason: z.string().optional(),
  keepMaturity: z.string().optional(),
  keepMaturityReason: z.string().optional(),
  confirm: z.string().optional(),
});

export const reviveAgentAction = consoleAction("agents.view", reviveForm, async ({ input, person, actor }) => {
  const { agentId: id, reason, keepMaturity, keepMaturityReason, confirm } = input;
  const revive = { agentId: id, reason, ...(keepMaturity === "yes" ? { keepMaturity: { reason: keepMaturityReason ?? "" } } : {}) };
  if (confirm !== "yes") {
    // Every field's message at once, not the tick first and the reason on the next try.
    const parsed = reviveAgentSchema.safeParse(revive);
    const fields = parsed.success ? [] : fieldsFromZod(parsed.error.issues);
    throw new AppError("validation_failed", "Confirm the revive.", [...fields, { path: "confirm", message: "Tick the box to confirm." }]);
  }
  const result = await reviveAgent(person, actor, revive);
  agentPages(result.slug);
  return { message: `Revived: the agent is suspended${result.maturityKept ? `, still ${result.maturity}` : " and back to intern"}. Activate it from the overview tab when ready.` };
});

export const startDrillAction = consoleAction("agents.view", z.object({ agentId }), async ({ input, person, actor }) => {
  const result = await startDrill(person, actor, input);
  agentPages(result.slug);
  return { message: `Drill started: the agent must acknowledge it within ${result.thresholdMs} ms.` };
});

const stopForm = z.object({ mode: z.preprocess(blank, z.string().optional()), reason: z.preprocess(blank, z.string().optional()) });

export const stopAllAction = consoleAction("console.view", stopForm, async ({ input, person, actor }) => {
  const result = await stopAll(person, actor, input);
  revalidatePath("/", "layout");
  return { message: result.changed ? `Every agent is stopped (${result.mode}).` : `The fleet was already stopped (${result.mode}); nothing changed.` };
});

export const resumeAllAction = consoleAction("console.view", z.object({ reason: z.string().optional() }), async ({ input, person, actor }) => {
  await resumeAll(person, actor, input);
  revalidatePath("/", "layout");
  return { message: "The fleet is running again; killed and suspended agents stay as they are." };
});

const capabilityForm = z.object({
  capability: z.string().optional(),
  agentId: z.preprocess(blank, z.string().optional()),
  reason: z.preprocess(blank, z.string().optional()),
});

export const killCapabilityAction = consoleAction("console.view", capabilityForm, async ({ input, person, actor }) => {
  const result = await killCapability(person, actor, input);
  if (result.agentSlug) agentPages(result.agentSlug);
  else revalidatePath("/", "layout");
  return { message: `${result.capability} is switched off ${result.agentSlug ? `for ${result.agentSlug}` : "for every agent"}.` };
});

export const restoreCapabilityAction = consoleAction("console.view", z.object({ killId: z.string() }), async ({ input, person, actor }) => {
  const result = await restoreCapability(person, actor, input);
  if (result.agentSlug) agentPages(result.agentSlug);
  else revalidatePath("/", "layout");
  return { message: `${result.capability} is back on ${result.agentSlug ? `for ${result.agentSlug}` : "for every agent"}.` };
});
