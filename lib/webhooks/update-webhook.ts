// An admin changes a webhook's receiver, events, format or parameter opt-in, or switches it off
// or on. Switching off gives up the deliveries still queued (they would arrive late and out of
// context when it is switched back on); the delivery log says so.
import "server-only";
import type { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { setWebhookEnabledSchema, updateWebhookSchema, type UpdateWebhookInput } from "@/lib/webhooks/webhook-schema";
import { WEBHOOK_SNAPSHOT, auditedWebhook, type WebhookSnapshot } from "@/lib/webhooks/webhook-snapshot";

export const DISABLED_ERROR = "The webhook was switched off before this could be delivered.";

export async function updateWebhook(person: Caller, actor: Actor, input: UpdateWebhookInput): Promise<WebhookSnapshot> {
  assertCan(person, "webhooks.manage");
  const { id, ...settings } = parse(updateWebhookSchema, input);
  return change(actor, id, "webhook.updated", settings);
}

export async function setWebhookEnabled(person: Caller, actor: Actor, input: { id: string; enabled: boolean | string }): Promise<WebhookSnapshot> {
  assertCan(person, "webhooks.manage");
  const { id, enabled } = parse(setWebhookEnabledSchema, input);
  return change(actor, id, enabled ? "webhook.enabled" : "webhook.disabled", { enabled });
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", fieldsFromZod(parsed.error.issues));
  return parsed.data;
}

async function change(actor: Actor, id: string, type: string, data: Partial<Omit<WebhookSnapshot, "id" | "secretHint">>): Promise<WebhookSnapshot> {
  return db().$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id }, select: WEBHOOK_SNAPSHOT });
    if (!before) throw new AppError("not_found", "No such webhook.");
    const after = await tx.webhook.update({ where: { id }, data, select: WEBHOOK_SNAPSHOT });
    let abandoned = 0;
    if (before.enabled && !after.enabled) {
      const { count } = await tx.webhookDelivery.updateMany({
        where: { webhookId: id, status: "pending" },
        data: { status: "failed", nextAttemptAt: null, completedAt: new Date(), lastError: DISABLED_ERROR },
      });
      abandoned = count;
    }
    await recordAudit(tx, actor, { type, subjectType: "webhook", subjectId: id, data: { before: { ...auditedWebhook(before) }, after: { ...auditedWebhook(after) }, ...(abandoned ? { abandonedDeliveries: abandoned } : {}) } });
    return after;
  });
}
