"use server";
// The overview tab's admin changes. Each use case checks the admin right itself again.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { consoleAction } from "@/lib/auth/action";
import { changeAgentStatus, changeAgentStatusSchema } from "@/lib/agents/change-agent-status";
import { changeMaturity, changeMaturitySchema } from "@/lib/agents/change-maturity";
import { setAgentOwners } from "@/lib/agents/set-agent-owners";
import { updateAgent, updateAgentSchema } from "@/lib/agents/update-agent";
import { AppError } from "@/lib/http/errors";

const refresh = (slug: string) => revalidatePath(`/agents/${encodeURIComponent(slug)}`, "layout");

export const updateAgentAction = consoleAction("agents.manage", updateAgentSchema, async ({ input, person, actor }) => {
  const result = await updateAgent(person, actor, input);
  refresh(result.slug);
  return { message: result.changed.length ? `Saved: ${result.changed.join(", ")}.` : "Nothing changed." };
});

// A form sends one checked box as a string, several as an array, and "None" as "".
const ownersForm = z.object({
  agentId: z.string(),
  ownerIds: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string())),
  technicalOwnerId: z.preprocess((value) => (value === "" || value === undefined ? null : value), z.string().nullable()),
});

export const setOwnersAction = consoleAction("agents.manage", ownersForm, async ({ input, person, actor }) => {
  const result = await setAgentOwners(person, actor, input);
  refresh(result.slug);
  return { message: result.changed ? "Owners saved." : "Nothing changed." };
});

const statusForm = changeAgentStatusSchema.extend({ confirm: z.string().optional() });

export const changeStatusAction = consoleAction("agents.manage", statusForm, async ({ input, person, actor }) => {
  const { confirm, ...change } = input;
  // Retirement is final and revokes every key: the console asks for an explicit tick.
  if (change.to === "retired" && confirm !== "yes") {
    throw new AppError("validation_failed", "Confirm that retiring is final.", [{ path: "confirm", message: "Tick the box to confirm." }]);
  }
  const result = await changeAgentStatus(person, actor, change);
  refresh(result.slug);
  return { message: `The agent is now ${result.status}.` };
});

export const changeMaturityAction = consoleAction("agents.manage", changeMaturitySchema, async ({ input, person, actor }) => {
  const result = await changeMaturity(person, actor, input);
  refresh(result.slug);
  return { message: `The agent is now ${result.maturity}.` };
});
