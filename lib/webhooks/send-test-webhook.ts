// An admin queues a test delivery; the worker sends it like any other (signed, retried, logged),
// so it proves the whole path, including the receiver's signature check.
import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { buildTestPayload } from "@/lib/webhooks/build-payload";
import { TEST_EVENT } from "@/lib/webhooks/webhook-events";
import { webhookIdSchema } from "@/lib/webhooks/webhook-schema";

export async function sendTestWebhook(person: Caller, actor: Actor, input: { id: string }, now: Date = new Date()): Promise<{ deliveryId: string }> {
  assertCan(person, "webhooks.manage");
  const parsed = webhookIdSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Unknown webhook.", fieldsFromZod(parsed.error.issues));
  return db().$transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id: parsed.data.id }, select: { id: true, name: true, enabled: true } });
    if (!webhook) throw new AppError("not_found", "No such webhook.");
    if (!webhook.enabled) throw new AppError("conflict", "Switch the webhook on before sending a test.");
    const deliveryId = randomUUID();
    const payload = buildTestPayload({ deliveryId, includeParams: false, now, webhookName: webhook.name });
    await tx.webhookDelivery.create({ data: { id: deliveryId, webhookId: webhook.id, event: TEST_EVENT, payload: payload as Prisma.InputJsonObject, nextAttemptAt: now, createdAt: now } });
    await recordAudit(tx, actor, { type: "webhook.test_sent", subjectType: "webhook", subjectId: webhook.id, data: { deliveryId } });
    return { deliveryId };
  });
}
