// The events a webhook may subscribe to. Shared by the admin form (client) and the outbox.
// The checkpoint events are read from the checkpoint table (enqueue-webhook-events.ts); the kill
// switch and owner-notice events from the sealed audit log (enqueue-audit-webhook-events.ts).
export const CHECKPOINT_WEBHOOK_EVENTS = ["checkpoint.created", "checkpoint.decided", "checkpoint.expired", "checkpoint.cancelled"] as const;

/** Named as the audit event each comes from, except decision.owners_notified (a decision.made that notified owners). */
export const AUDIT_WEBHOOK_EVENTS = [
  "agent.killed",
  "agent.revived",
  "fleet.stopped",
  "fleet.resumed",
  "capability.killed",
  "capability.restored",
  "kill_drill.unacknowledged",
  "decision.owners_notified",
] as const;

export const WEBHOOK_EVENTS = [...CHECKPOINT_WEBHOOK_EVENTS, ...AUDIT_WEBHOOK_EVENTS] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type CheckpointWebhookEvent = (typeof CHECKPOINT_WEBHOOK_EVENTS)[number];
export type AuditWebhookEvent = (typeof AUDIT_WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "checkpoint.created": "a checkpoint is waiting",
  "checkpoint.decided": "a checkpoint is approved or denied",
  "checkpoint.expired": "a checkpoint expired (a deny)",
  "checkpoint.cancelled": "a checkpoint was cancelled (the agent was stopped)",
  "agent.killed": "an agent is killed",
  "agent.revived": "a killed agent is revived",
  "fleet.stopped": "every agent is stopped",
  "fleet.resumed": "the stop of every agent is lifted",
  "capability.killed": "a capability is switched off",
  "capability.restored": "a capability is restored",
  "kill_drill.unacknowledged": "an agent failed to acknowledge a kill drill",
  "decision.owners_notified": "a senior agent acted without approval (its owners are notified)",
};

/** How the settings form groups the checkboxes. */
export const WEBHOOK_EVENT_GROUPS: ReadonlyArray<{ label: string; events: readonly WebhookEvent[] }> = [
  { label: "Approvals", events: CHECKPOINT_WEBHOOK_EVENTS },
  { label: "Kill switch", events: AUDIT_WEBHOOK_EVENTS.filter((event) => event !== "decision.owners_notified") },
  { label: "Owner notices", events: ["decision.owners_notified"] },
];

export function isAuditWebhookEvent(event: string): event is AuditWebhookEvent {
  return (AUDIT_WEBHOOK_EVENTS as readonly string[]).includes(event);
}

/** The test event an admin sends from the settings page; never stored as a subscription. */
export const TEST_EVENT = "webhook.test";
