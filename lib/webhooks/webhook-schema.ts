// What admins may set on a webhook, as the settings forms send it (FormData or an object).
import { z } from "zod";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/webhook-events";
import { webhookUrlSchema } from "@/lib/webhooks/webhook-url";

export const MIN_SECRET_LENGTH = 24;
export const MAX_SECRET_LENGTH = 200;

const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());
const list = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);

export const webhookIdSchema = z.object({ id: z.uuid("Unknown webhook.") });

/** Blank means "generate one for me"; a pasted secret must be long enough to resist guessing. */
const secretSchema = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || undefined)
  .pipe(
    z
      .string()
      .min(MIN_SECRET_LENGTH, `Use at least ${MIN_SECRET_LENGTH} characters, or leave it blank to generate one.`)
      .max(MAX_SECRET_LENGTH, `Use at most ${MAX_SECRET_LENGTH} characters.`)
      .regex(/^[\x21-\x7e]+$/, "Use printable characters without spaces.")
      .optional(),
  );

const settings = {
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  url: webhookUrlSchema,
  events: z.preprocess(list, z.array(z.enum(WEBHOOK_EVENTS, { error: "Pick events from the list." })).min(1, "Pick at least one event.")),
  format: z.enum(["mandate", "slack"], { error: "Pick a format." }).default("mandate"),
  includeParams: checkbox,
};

export const createWebhookSchema = z.object({ ...settings, secret: secretSchema });
export const updateWebhookSchema = z.object({ id: webhookIdSchema.shape.id, ...settings });
export const setWebhookEnabledSchema = z.object({ id: webhookIdSchema.shape.id, enabled: checkbox });
export const rotateWebhookSecretSchema = z.object({ id: webhookIdSchema.shape.id, secret: secretSchema });

export type CreateWebhookInput = z.input<typeof createWebhookSchema>;
export type UpdateWebhookInput = z.input<typeof updateWebhookSchema>;
