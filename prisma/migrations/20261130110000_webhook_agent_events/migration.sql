-- Webhooks for the kill switch and for "a senior agent acted, its owners are notified" (issues 5
-- and 6). These events are read from the sealed audit log, in seal order, behind a watermark over
-- audit_seal.seq (lib/webhooks/enqueue-audit-webhook-events.ts): seals commit in seq order (one
-- sealer at a time), so unlike a watermark over time or ids it never passes an event whose
-- transaction committed late. Nothing on the kill or decision path changes.

-- The audit event a delivery tells of. No foreign key: audit_event takes no references (a key
-- would make every delivery insert look the event up, and the audit tables are append-only).
ALTER TABLE "webhook_delivery" ADD COLUMN "audit_event_id" BIGINT;

-- One delivery per webhook, event and audit event. Checkpoint deliveries and tests leave the
-- column null, and nulls never collide, so this constrains only the audit-sourced deliveries.
CREATE UNIQUE INDEX "webhook_delivery_webhook_id_event_audit_event_id_key" ON "webhook_delivery"("webhook_id", "event", "audit_event_id");

-- The watermark: every event sealed at or below seq has been turned into deliveries. Null while
-- no enabled webhook subscribes to one of these events, so a new subscriber starts from its own
-- time rather than from wherever the watermark was left.
CREATE TABLE "webhook_audit_outbox" (
    "id" SMALLINT NOT NULL,
    "seq" BIGINT,

    CONSTRAINT "webhook_audit_outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_audit_outbox_one_row" CHECK ("id" = 1)
);

-- One row, created here so the round never has to upsert it.
INSERT INTO "webhook_audit_outbox" ("id", "seq") VALUES (1, NULL);
