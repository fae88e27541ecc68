// The events a webhook may subscribe to. Shared by the admin form (client) and the outbox.
export const WEBHOOK_EVENTS = ["checkpoint.created", "checkpoint.decided", "checkpoint.expired", "checkpoint.cancelled"] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "checkpoint.created": "a checkpoint is waiting",
  "checkpoint.decided": "a checkpoint is approved or denied",
  "checkpoint.expired": "a checkpoint expired (a deny)",
  "checkpoint.cancelled": "a checkpoint was cancelled (the agent was stopped)",
};

/** The test event an admin sends from the settings page; never stored as a subscription. */
export const TEST_EVENT = "webhook.test";
