// An admin adds a webhook. The signing secret (pasted, or generated here) is returned once for the
// page to show and is stored only encrypted (webhook-secret.ts).
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { createWebhookSchema, type CreateWebhookInput } from "@/lib/webhooks/webhook-schema";
import { generateWebhookSecret, sealSecret, secretHint } from "@/lib/webhooks/webhook-secret";
import { WEBHOOK_SNAPSHOT, auditedWebhook, type WebhookSnapshot } from "@/lib/webhooks/webhook-snapshot";

export async function createWebhook(person: Caller, actor: Actor, input: CreateWebhookInput): Promise<{ webhook: WebhookSnapshot; secret: string }> {
  assertCan(person, "webhooks.manage");
  const parsed = createWebhookSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", fieldsFromZod(parsed.error.issues));
  const { secret: given, ...settings } = parsed.data;
  const secret = given ?? generateWebhookSecret();

  const webhook = await db().$transaction(async (tx) => {
    const created = await tx.webhook.create({
      data: { ...settings, secretCiphertext: sealSecret(secret), secretHint: secretHint(secret), createdById: person.id },
      select: WEBHOOK_SNAPSHOT,
    });
    await recordAudit(tx, actor, {
      type: "webhook.created",
      subjectType: "webhook",
      subjectId: created.id,
      data: { before: null, after: { ...auditedWebhook(created) }, secretGenerated: !given },
    });
    return created;
  });
  return { webhook, secret };
}
