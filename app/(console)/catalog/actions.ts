"use server";
// The catalog page's server actions: one per use case, each through consoleAction (which checks
// catalog.manage, parses the form and maps refusals to form state); the use case checks again.
import { revalidatePath } from "next/cache";
import { consoleAction } from "@/lib/auth/action";
import { createAction } from "@/lib/catalog/create-action";
import { createPolicy } from "@/lib/catalog/create-policy";
import { createSystem } from "@/lib/catalog/create-system";
import { deleteAction } from "@/lib/catalog/delete-action";
import { deletePolicy } from "@/lib/catalog/delete-policy";
import { deleteSystem } from "@/lib/catalog/delete-system";
import { setPolicyEnabled } from "@/lib/catalog/set-policy-enabled";
import { updateAction } from "@/lib/catalog/update-action";
import { updatePolicy } from "@/lib/catalog/update-policy";
import { updateSystem } from "@/lib/catalog/update-system";
import {
  actionForm,
  actionUpdateForm,
  policyEnabledForm,
  policyForm,
  policyRefForm,
  policyUpdateForm,
  systemForm,
  keyForm,
} from "./form-schemas";

export const addSystem = consoleAction("catalog.manage", systemForm, async ({ input, person, actor }) => {
  const system = await createSystem(person, actor, input);
  revalidatePath("/catalog");
  return { message: `Added the system ${system.key}.` };
});

export const editSystem = consoleAction("catalog.manage", systemForm, async ({ input, person, actor }) => {
  const system = await updateSystem(person, actor, input);
  revalidatePath("/catalog");
  return { message: `Saved ${system.key}.` };
});

export const removeSystem = consoleAction("catalog.manage", keyForm, async ({ input, person, actor }) => {
  await deleteSystem(person, actor, input);
  revalidatePath("/catalog");
  return { message: `Deleted the system ${input.key}.` };
});

export const addAction = consoleAction("catalog.manage", actionForm, async ({ input, person, actor }) => {
  const action = await createAction(person, actor, input as Parameters<typeof createAction>[2]);
  revalidatePath("/catalog");
  return { message: `Added the action ${action.key}.` };
});

export const editAction = consoleAction("catalog.manage", actionUpdateForm, async ({ input, person, actor }) => {
  const action = await updateAction(person, actor, input as Parameters<typeof updateAction>[2]);
  revalidatePath("/catalog");
  return { message: `Saved ${action.key}.` };
});

export const removeAction = consoleAction("catalog.manage", keyForm, async ({ input, person, actor }) => {
  await deleteAction(person, actor, input);
  revalidatePath("/catalog");
  return { message: `Deleted the action ${input.key}.` };
});

export const addPolicy = consoleAction("catalog.manage", policyForm, async ({ input, person, actor }) => {
  const policy = await createPolicy(person, actor, input as Parameters<typeof createPolicy>[2]);
  revalidatePath("/catalog");
  return { message: `Added the policy "${policy.name}".` };
});

export const editPolicy = consoleAction("catalog.manage", policyUpdateForm, async ({ input, person, actor }) => {
  const policy = await updatePolicy(person, actor, input as Parameters<typeof updatePolicy>[2]);
  revalidatePath("/catalog");
  return { message: `Saved "${policy.name}".` };
});

export const switchPolicy = consoleAction("catalog.manage", policyEnabledForm, async ({ input, person, actor }) => {
  const policy = await setPolicyEnabled(person, actor, input);
  revalidatePath("/catalog");
  return { message: `"${policy.name}" is ${policy.enabled ? "enabled" : "disabled"}.` };
});

export const removePolicy = consoleAction("catalog.manage", policyRefForm, async ({ input, person, actor }) => {
  await deletePolicy(person, actor, input);
  revalidatePath("/catalog");
  return { message: "Deleted the policy." };
});
