"use server";
// The webhook settings' server actions, each through consoleAction (webhooks.manage, parsing,
// refusals as form state); the use cases check the capability again and audit every change.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { consoleAction } from "@/lib/auth/action";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { setWebhookEnabled, updateWebhook } from "@/lib/webhooks/update-webhook";
import { createWebhookSchema, rotateWebhookSecretSchema, setWebhookEnabledSchema, updateWebhookSchema, webhookIdSchema } from "@/lib/webhooks/webhook-schema";

export const addWebhook = consoleAction("webhooks.manage", createWebhookSchema, async ({ input, person, actor }) => {
  const { webhook, secret } = await createWebhook(person, actor, input);
  revalidatePath("/settings/webhooks");
  return { message: `Added the webhook "${webhook.name}".`, data: { id: webhook.id, secret } };
});

export const saveWebhook = consoleAction("webhooks.manage", updateWebhookSchema, async ({ input, person, actor }) => {
  const webhook = await updateWebhook(person, actor, input);
  revalidatePath("/settings/webhooks");
  revalidatePath(`/settings/webhooks/${webhook.id}`);
  return { message: "Saved." };
});

export const switchWebhook = consoleAction("webhooks.manage", setWebhookEnabledSchema, async ({ input, person, actor }) => {
  const webhook = await setWebhookEnabled(person, actor, input);
  revalidatePath(`/settings/webhooks/${webhook.id}`);
  return { message: webhook.enabled ? "Switched on." : "Switched off; queued deliveries were dropped." };
});

export const rotateSecret = consoleAction("webhooks.manage", rotateWebhookSecretSchema, async ({ input, person, actor }) => {
  const { secret } = await rotateWebhookSecret(person, actor, input);
  revalidatePath(`/settings/webhooks/${input.id}`);
  return { message: "New secret set. Give it to the receiver now.", data: { id: input.id, secret } };
});

export const sendTest = consoleAction("webhooks.manage", webhookIdSchema, async ({ input, person, actor }) => {
  await sendTestWebhook(person, actor, input);
  revalidatePath(`/settings/webhooks/${input.id}`);
  return { message: "Test delivery queued; it appears in the log within a few seconds." };
});

export const removeWebhook = consoleAction("webhooks.manage", webhookIdSchema, async ({ input, person, actor }) => {
  await deleteWebhook(person, actor, input);
  revalidatePath("/settings/webhooks");
  // consoleAction lets Next's redirect through: the deleted webhook's page is gone.
  redirect("/settings/webhooks");
});
