-- The approval inbox (issue 5): a change marker and extensions on checkpoints, who opened a
-- checkpoint's details, how long a voter looked before voting, and outgoing webhooks with their
-- outbox, deliveries and attempts.

-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('mandate', 'slack');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- AlterTable (CURRENT_TIMESTAMP is stable, so existing rows get the migration's time without a rewrite)
ALTER TABLE "checkpoint" ADD COLUMN "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "extended_at" TIMESTAMPTZ(3),
ADD COLUMN "extended_by_id" UUID,
ADD COLUMN "extension_seconds" INTEGER;

-- AlterTable
ALTER TABLE "approval" ADD COLUMN "opened_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "checkpoint_view" (
    "checkpoint_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "first_opened_at" TIMESTAMPTZ(3) NOT NULL,
    "last_opened_at" TIMESTAMPTZ(3) NOT NULL,
    "opens" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "checkpoint_view_pkey" PRIMARY KEY ("checkpoint_id","person_id")
);

-- CreateTable
CREATE TABLE "webhook" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "secret_hint" TEXT NOT NULL,
    "format" "WebhookFormat" NOT NULL DEFAULT 'mandate',
    "events" TEXT[],
    "include_params" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "webhook_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "checkpoint_id" UUID,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "next_retry_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_outbox" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "created_through" TIMESTAMPTZ(3),
    "decided_through" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "checkpoint_created_at_idx" ON "checkpoint"("created_at");

-- CreateIndex
CREATE INDEX "checkpoint_decided_at_idx" ON "checkpoint"("decided_at");

-- CreateIndex
CREATE INDEX "checkpoint_changed_at_idx" ON "checkpoint"("changed_at");

-- CreateIndex
CREATE INDEX "checkpoint_view_person_id_idx" ON "checkpoint_view"("person_id");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_next_attempt_at_idx" ON "webhook_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_webhook_id_created_at_idx" ON "webhook_delivery"("webhook_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_checkpoint_id_idx" ON "webhook_delivery"("checkpoint_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_webhook_id_event_checkpoint_id_key" ON "webhook_delivery"("webhook_id", "event", "checkpoint_id");

-- CreateIndex
CREATE INDEX "webhook_attempt_delivery_id_attempt_idx" ON "webhook_attempt"("delivery_id", "attempt");

-- AddForeignKey
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_extended_by_id_fkey" FOREIGN KEY ("extended_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_view" ADD CONSTRAINT "checkpoint_view_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_view" ADD CONSTRAINT "checkpoint_view_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook" ADD CONSTRAINT "webhook_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempt" ADD CONSTRAINT "webhook_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ============================================================================
-- What schema.prisma cannot express.
-- ============================================================================

-- The outbox watermark is a single row, created here so the scanner never has to upsert it.
ALTER TABLE "webhook_outbox" ADD CONSTRAINT "webhook_outbox_id_check" CHECK ("id" = 1);
INSERT INTO "webhook_outbox" ("id") VALUES (1);

-- An extension is positive; a delivery's attempts never go below zero.
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_extension_seconds_check" CHECK ("extension_seconds" IS NULL OR "extension_seconds" > 0);
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_attempts_check" CHECK ("attempts" >= 0);
