"use server";
// The permissions tab's server actions. Each goes through consoleAction (sign-in, role, input
// parsing, errors as form state) and then a use case that checks the person's right on this
// agent again and validates the line in full.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { consoleAction } from "@/lib/auth/action";
import { addPermission } from "@/lib/permissions/add-permission";
import { movePermission } from "@/lib/permissions/move-permission";
import { removePermission } from "@/lib/permissions/remove-permission";
import { tryAction, type TryResult } from "@/lib/permissions/try-action";
import { updatePermission } from "@/lib/permissions/update-permission";

// The use cases parse their input in full (the line with the shared schema); here only its shape.
const lineTarget = z.looseObject({ agentId: z.string() });
const lineRef = z.strictObject({ agentId: z.string(), permissionId: z.string() });
const moveRef = lineRef.extend({ to: z.string() });

function refresh() {
  revalidatePath("/agents/[slug]", "layout");
}

export const addLineAction = consoleAction("agents.manage", lineTarget, async ({ input, person, actor }) => {
  const { listVersion } = await addPermission(person, actor, input);
  refresh();
  return { message: `Line added; the list is now version ${listVersion}.` };
});

export const updateLineAction = consoleAction("agents.manage", lineTarget, async ({ input, person, actor }) => {
  const { listVersion } = await updatePermission(person, actor, input);
  refresh();
  return { message: `Line saved; the list is now version ${listVersion}.` };
});

export const removeLineAction = consoleAction("agents.manage", lineRef, async ({ input, person, actor }) => {
  const { listVersion } = await removePermission(person, actor, input);
  refresh();
  return { message: `Line removed; the list is now version ${listVersion}.` };
});

export const moveLineAction = consoleAction("agents.manage", moveRef, async ({ input, person, actor }) => {
  await movePermission(person, actor, input);
  refresh();
});

export const tryLineAction = consoleAction<typeof lineTarget, TryResult>("agents.view", lineTarget, async ({ input, person }) => ({
  data: await tryAction(person, input),
}));
