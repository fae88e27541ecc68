// An admin replaces a webhook's signing secret (pasted or generated); the new one is shown once.
// Deliveries sign with the secret current when they are sent, retries included.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { rotateWebhookSecretSchema } from "@/lib/webhooks/webhook-schema";
import { generateWebhookSecret, sealSecret, secretHint } from "@/lib/webhooks/webhook-secret";

export async function rotateWebhookSecret(person: Caller, actor: Actor, input: { id: string; secret?: string }): Promise<{ secret: string; secretHint: string }> {
  assertCan(person, "webhooks.manage");
  const parsed = rotateWebhookSecretSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", fieldsFromZod(parsed.error.issues));
  const secret = parsed.data.secret ?? generateWebhookSecret();
  const hint = secretHint(secret);
  await db().$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id: parsed.data.id }, select: { secretHint: true } });
    if (!before) throw new AppError("not_found", "No such webhook.");
    await tx.webhook.update({ where: { id: parsed.data.id }, data: { secretCiphertext: sealSecret(secret), secretHint: hint } });
    await recordAudit(tx, actor, {
      type: "webhook.secret_rotated",
      subjectType: "webhook",
      subjectId: parsed.data.id,
      data: { before: { secretHint: before.secretHint }, after: { secretHint: hint }, secretGenerated: !parsed.data.secret },
    });
  });
  return { secret, secretHint: hint };
}
