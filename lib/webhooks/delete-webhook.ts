// An admin removes a webhook; its queued deliveries and delivery log go with it (the audit keeps
// the record of the webhook itself).
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { webhookIdSchema } from "@/lib/webhooks/webhook-schema";
import { WEBHOOK_SNAPSHOT, auditedWebhook } from "@/lib/webhooks/webhook-snapshot";

export async function deleteWebhook(person: Caller, actor: Actor, input: { id: string }): Promise<void> {
  assertCan(person, "webhooks.manage");
  const parsed = webhookIdSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Unknown webhook.", fieldsFromZod(parsed.error.issues));
  await db().$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id: parsed.data.id }, select: WEBHOOK_SNAPSHOT });
    if (!before) throw new AppError("not_found", "No such webhook.");
    const deliveries = await tx.webhookDelivery.count({ where: { webhookId: before.id } });
    await tx.webhook.delete({ where: { id: before.id } });
    await recordAudit(tx, actor, { type: "webhook.deleted", subjectType: "webhook", subjectId: before.id, data: { before: { ...auditedWebhook(before) }, after: null, deliveries } });
  });
}
