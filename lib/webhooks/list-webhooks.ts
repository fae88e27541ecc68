// The webhook settings pages: every webhook with how its recent deliveries went, and one webhook
// with its delivery log (each delivery with every attempt: status code or error, duration, and
// when the next try is due).
import "server-only";
import { db } from "@/lib/db/client";
import type { WebhookDeliveryStatus } from "@/lib/generated/prisma/enums";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { WEBHOOK_SNAPSHOT, type WebhookSnapshot } from "@/lib/webhooks/webhook-snapshot";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const LOG_LIMIT = 100;

export interface WebhookListItem extends WebhookSnapshot {
  createdAt: Date;
  createdBy: string | null;
  lastDelivery: { status: WebhookDeliveryStatus; at: Date; statusCode: number | null } | null;
  pending: number;
  failedLastDay: number;
}

export async function listWebhooks(person: Caller, now: Date = new Date()): Promise<WebhookListItem[]> {
  assertCan(person, "webhooks.manage");
  const rows = await db().webhook.findMany({
    orderBy: [{ name: "asc" }, { createdAt: "asc" }],
    select: {
      ...WEBHOOK_SNAPSHOT,
      createdAt: true,
      createdBy: { select: { name: true } },
      deliveries: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, createdAt: true, lastStatusCode: true } },
    },
  });
  const ids = rows.map((row) => row.id);
  const counts = ids.length
    ? await db().webhookDelivery.groupBy({
        by: ["webhookId", "status"],
        where: { webhookId: { in: ids }, OR: [{ status: "pending" }, { status: "failed", createdAt: { gt: new Date(now.getTime() - 86_400_000) } }] },
        _count: { _all: true },
      })
    : [];
  const count = (id: string, status: WebhookDeliveryStatus) => counts.find((row) => row.webhookId === id && row.status === status)?._count._all ?? 0;
  return rows.map(({ deliveries, createdBy, ...row }) => ({
    ...row,
    createdBy: createdBy?.name ?? null,
    lastDelivery: deliveries[0] ? { status: deliveries[0].status, at: deliveries[0].createdAt, statusCode: deliveries[0].lastStatusCode } : null,
    pending: count(row.id, "pending"),
    failedLastDay: count(row.id, "failed"),
  }));
}

export interface DeliveryLogItem {
  id: string;
  event: string;
  checkpointId: string | null;
  status: WebhookDeliveryStatus;
  attempts: Array<{ attempt: number; startedAt: Date; durationMs: number; statusCode: number | null; error: string | null; nextRetryAt: Date | null }>;
  nextAttemptAt: Date | null;
  createdAt: Date;
  lastError: string | null;
}

export async function getWebhookWithLog(person: Caller, id: string): Promise<{ webhook: WebhookSnapshot & { createdAt: Date }; deliveries: DeliveryLogItem[] } | null> {
  assertCan(person, "webhooks.manage");
  if (!UUID.test(id)) return null;
  const webhook = await db().webhook.findUnique({ where: { id }, select: { ...WEBHOOK_SNAPSHOT, createdAt: true } });
  if (!webhook) return null;
  const deliveries = await db().webhookDelivery.findMany({
    where: { webhookId: id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LOG_LIMIT,
    select: {
      id: true,
      event: true,
      checkpointId: true,
      status: true,
      nextAttemptAt: true,
      createdAt: true,
      lastError: true,
      tries: { orderBy: { attempt: "asc" }, select: { attempt: true, startedAt: true, durationMs: true, statusCode: true, error: true, nextRetryAt: true } },
    },
  });
  return { webhook, deliveries: deliveries.map(({ tries, ...delivery }) => ({ ...delivery, attempts: tries })) };
}
