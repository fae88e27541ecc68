-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'approver', 'auditor');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('draft', 'active', 'suspended', 'killed', 'retired');

-- CreateEnum
CREATE TYPE "Maturity" AS ENUM ('intern', 'junior', 'senior', 'principal');

-- CreateEnum
CREATE TYPE "KillMode" AS ENUM ('graceful', 'forced');

-- CreateEnum
CREATE TYPE "ActionCategory" AS ENUM ('read', 'write', 'delete', 'external_communication', 'financial', 'third_party_call', 'admin');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "PermissionEffect" AS ENUM ('allow', 'require_approval', 'deny');

-- CreateEnum
CREATE TYPE "DecisionEffect" AS ENUM ('allow', 'deny', 'pending');

-- CreateEnum
CREATE TYPE "OutcomeStatus" AS ENUM ('succeeded', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "CheckpointStatus" AS ENUM ('pending', 'approved', 'denied', 'expired', 'cancelled');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('approve', 'deny');

-- CreateEnum
CREATE TYPE "KillScope" AS ENUM ('agent', 'capability', 'global');

-- CreateEnum
CREATE TYPE "StateChangeKind" AS ENUM ('activate', 'suspend', 'kill', 'revive', 'retire', 'stop_all', 'resume_all', 'capability_kill', 'capability_restore');

-- CreateEnum
CREATE TYPE "DrillStatus" AS ENUM ('pending', 'passed', 'failed', 'expired');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('rate_spike', 'denial_burst', 'scope_creep', 'unusual_action', 'stale_heartbeat', 'drift', 'approval_fatigue');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('info', 'warning', 'critical');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('person', 'agent', 'system');

-- CreateTable
CREATE TABLE "person" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "oidc_subject" TEXT,
    "roles" "Role"[] DEFAULT ARRAY[]::"Role"[],
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "failed_login_count" INTEGER NOT NULL DEFAULT 0,
    "last_failed_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "status" "AgentStatus" NOT NULL DEFAULT 'draft',
    "maturity" "Maturity" NOT NULL DEFAULT 'intern',
    "deployed_by_id" UUID NOT NULL,
    "technical_owner_id" UUID,
    "state_version" INTEGER NOT NULL DEFAULT 1,
    "state_reason" TEXT,
    "state_mode" "KillMode",
    "state_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "list_version" INTEGER NOT NULL DEFAULT 1,
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_owner" (
    "agent_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_owner_pkey" PRIMARY KEY ("agent_id","person_id")
);

-- CreateTable
CREATE TABLE "credential" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,

    CONSTRAINT "credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "system" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "system_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "system_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "category" "ActionCategory" NOT NULL,
    "risk" "RiskLevel" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "permission" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID NOT NULL,
    "action_id" UUID NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "effect" "PermissionEffect" NOT NULL,
    "conditions" JSONB,
    "on_condition_fail" "PermissionEffect" NOT NULL DEFAULT 'deny',
    "rate_limit_per_minute" INTEGER,
    "rate_limit_per_hour" INTEGER,
    "justification" TEXT NOT NULL,
    "added_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "permission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "global_policy" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "category" "ActionCategory",
    "action_id" UUID,
    "conditions" JSONB,
    "required_approvals" INTEGER NOT NULL DEFAULT 1,
    "expiry_seconds" INTEGER NOT NULL DEFAULT 900,
    "max_extend_seconds" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "global_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decision" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID NOT NULL,
    "credential_id" UUID,
    "action" TEXT NOT NULL,
    "resource" TEXT,
    "params" JSONB,
    "instruction" TEXT NOT NULL,
    "considered" JSONB,
    "chosen" TEXT,
    "rationale" TEXT,
    "on_behalf_of" TEXT,
    "trace_id" TEXT,
    "parent_decision_id" UUID,
    "delegation_id" UUID,
    "delegation_chain" JSONB,
    "effect" "DecisionEffect" NOT NULL,
    "reason" TEXT NOT NULL,
    "rule_id" TEXT,
    "latency_micros" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome_status" "OutcomeStatus",
    "outcome_summary" TEXT,
    "outcome_data" JSONB,
    "outcome_at" TIMESTAMPTZ(3),

    CONSTRAINT "decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoint" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "decision_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "status" "CheckpointStatus" NOT NULL DEFAULT 'pending',
    "required_approvals" INTEGER NOT NULL DEFAULT 1,
    "policy_id" UUID,
    "permission_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "note" TEXT,
    "consumed_at" TIMESTAMPTZ(3),

    CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkpoint_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delegation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "from_agent_id" UUID NOT NULL,
    "to_agent_id" UUID NOT NULL,
    "parent_delegation_id" UUID,
    "actions" TEXT[],
    "depth" INTEGER NOT NULL DEFAULT 1,
    "token_hash" TEXT NOT NULL,
    "reasoning" JSONB,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "delegation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "state_change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "StateChangeKind" NOT NULL,
    "scope" "KillScope" NOT NULL,
    "agent_id" UUID,
    "capability" TEXT,
    "mode" "KillMode",
    "from_status" "AgentStatus",
    "to_status" "AgentStatus",
    "reason" TEXT NOT NULL,
    "actor_person_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "state_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capability_kill" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID,
    "capability" TEXT NOT NULL,
    "mode" "KillMode" NOT NULL DEFAULT 'forced',
    "reason" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restored_at" TIMESTAMPTZ(3),
    "restored_by_id" UUID,

    CONSTRAINT "capability_kill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fleet_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "stopped" BOOLEAN NOT NULL DEFAULT false,
    "mode" "KillMode",
    "reason" TEXT,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "fleet_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kill_drill" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID NOT NULL,
    "started_by_id" UUID NOT NULL,
    "status" "DrillStatus" NOT NULL DEFAULT 'pending',
    "threshold_ms" INTEGER NOT NULL DEFAULT 1000,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "latency_ms" INTEGER,

    CONSTRAINT "kill_drill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID,
    "kind" "AlertKind" NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "message" TEXT NOT NULL,
    "data" JSONB,
    "auto_suspended" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" UUID,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "ActorType" NOT NULL,
    "actor_person_id" UUID,
    "actor_agent_id" UUID,
    "request_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "agent_id" UUID,
    "type" TEXT NOT NULL,
    "subject_type" TEXT,
    "subject_id" TEXT,
    "data" JSONB,
    "reasoning" JSONB,
    "trace_id" TEXT,
    "parent_id" TEXT,
    "seq" BIGINT,
    "prev_hash" TEXT,
    "hash" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "person_email_key" ON "person"("email");

-- CreateIndex
CREATE UNIQUE INDEX "person_oidc_subject_key" ON "person"("oidc_subject");

-- CreateIndex
CREATE UNIQUE INDEX "agent_slug_key" ON "agent"("slug");

-- CreateIndex
CREATE INDEX "agent_status_idx" ON "agent"("status");

-- CreateIndex
CREATE INDEX "agent_maturity_idx" ON "agent"("maturity");

-- CreateIndex
CREATE INDEX "agent_technical_owner_id_idx" ON "agent"("technical_owner_id");

-- CreateIndex
CREATE INDEX "agent_deployed_by_id_idx" ON "agent"("deployed_by_id");

-- CreateIndex
CREATE INDEX "agent_owner_person_id_idx" ON "agent_owner"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "credential_prefix_key" ON "credential"("prefix");

-- CreateIndex
CREATE INDEX "credential_agent_id_idx" ON "credential"("agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "system_key_key" ON "system"("key");

-- CreateIndex
CREATE UNIQUE INDEX "action_key_key" ON "action"("key");

-- CreateIndex
CREATE INDEX "action_system_id_idx" ON "action"("system_id");

-- CreateIndex
CREATE INDEX "action_category_idx" ON "action"("category");

-- CreateIndex
CREATE INDEX "permission_agent_id_position_idx" ON "permission"("agent_id", "position");

-- CreateIndex
CREATE INDEX "permission_action_id_idx" ON "permission"("action_id");

-- CreateIndex
CREATE UNIQUE INDEX "global_policy_name_key" ON "global_policy"("name");

-- CreateIndex
CREATE INDEX "global_policy_category_idx" ON "global_policy"("category");

-- CreateIndex
CREATE INDEX "global_policy_action_id_idx" ON "global_policy"("action_id");

-- CreateIndex
CREATE INDEX "decision_agent_id_created_at_idx" ON "decision"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "decision_created_at_idx" ON "decision"("created_at");

-- CreateIndex
CREATE INDEX "decision_effect_created_at_idx" ON "decision"("effect", "created_at");

-- CreateIndex
CREATE INDEX "decision_trace_id_idx" ON "decision"("trace_id");

-- CreateIndex
CREATE INDEX "decision_parent_decision_id_idx" ON "decision"("parent_decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "checkpoint_decision_id_key" ON "checkpoint"("decision_id");

-- CreateIndex
CREATE INDEX "checkpoint_status_expires_at_idx" ON "checkpoint"("status", "expires_at");

-- CreateIndex
CREATE INDEX "checkpoint_agent_id_status_idx" ON "checkpoint"("agent_id", "status");

-- CreateIndex
CREATE INDEX "approval_person_id_created_at_idx" ON "approval"("person_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_checkpoint_id_person_id_key" ON "approval"("checkpoint_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "delegation_token_hash_key" ON "delegation"("token_hash");

-- CreateIndex
CREATE INDEX "delegation_from_agent_id_idx" ON "delegation"("from_agent_id");

-- CreateIndex
CREATE INDEX "delegation_to_agent_id_idx" ON "delegation"("to_agent_id");

-- CreateIndex
CREATE INDEX "state_change_agent_id_created_at_idx" ON "state_change"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "state_change_created_at_idx" ON "state_change"("created_at");

-- CreateIndex
CREATE INDEX "capability_kill_agent_id_restored_at_idx" ON "capability_kill"("agent_id", "restored_at");

-- CreateIndex
CREATE INDEX "kill_drill_agent_id_started_at_idx" ON "kill_drill"("agent_id", "started_at");

-- CreateIndex
CREATE INDEX "alert_agent_id_created_at_idx" ON "alert"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "alert_created_at_idx" ON "alert"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_seq_key" ON "audit_event"("seq");

-- CreateIndex
CREATE INDEX "audit_event_created_at_idx" ON "audit_event"("created_at");

-- CreateIndex
CREATE INDEX "audit_event_agent_id_id_idx" ON "audit_event"("agent_id", "id");

-- CreateIndex
CREATE INDEX "audit_event_actor_person_id_id_idx" ON "audit_event"("actor_person_id", "id");

-- CreateIndex
CREATE INDEX "audit_event_type_id_idx" ON "audit_event"("type", "id");

-- CreateIndex
CREATE INDEX "audit_event_trace_id_idx" ON "audit_event"("trace_id");

-- AddForeignKey
ALTER TABLE "agent" ADD CONSTRAINT "agent_deployed_by_id_fkey" FOREIGN KEY ("deployed_by_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent" ADD CONSTRAINT "agent_technical_owner_id_fkey" FOREIGN KEY ("technical_owner_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_owner" ADD CONSTRAINT "agent_owner_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_owner" ADD CONSTRAINT "agent_owner_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential" ADD CONSTRAINT "credential_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential" ADD CONSTRAINT "credential_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential" ADD CONSTRAINT "credential_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action" ADD CONSTRAINT "action_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permission" ADD CONSTRAINT "permission_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permission" ADD CONSTRAINT "permission_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "permission" ADD CONSTRAINT "permission_added_by_id_fkey" FOREIGN KEY ("added_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "global_policy" ADD CONSTRAINT "global_policy_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "action"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "global_policy" ADD CONSTRAINT "global_policy_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision" ADD CONSTRAINT "decision_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision" ADD CONSTRAINT "decision_parent_decision_id_fkey" FOREIGN KEY ("parent_decision_id") REFERENCES "decision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision" ADD CONSTRAINT "decision_delegation_id_fkey" FOREIGN KEY ("delegation_id") REFERENCES "delegation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "global_policy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval" ADD CONSTRAINT "approval_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval" ADD CONSTRAINT "approval_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delegation" ADD CONSTRAINT "delegation_from_agent_id_fkey" FOREIGN KEY ("from_agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delegation" ADD CONSTRAINT "delegation_to_agent_id_fkey" FOREIGN KEY ("to_agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delegation" ADD CONSTRAINT "delegation_parent_delegation_id_fkey" FOREIGN KEY ("parent_delegation_id") REFERENCES "delegation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "state_change" ADD CONSTRAINT "state_change_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "state_change" ADD CONSTRAINT "state_change_actor_person_id_fkey" FOREIGN KEY ("actor_person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capability_kill" ADD CONSTRAINT "capability_kill_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capability_kill" ADD CONSTRAINT "capability_kill_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capability_kill" ADD CONSTRAINT "capability_kill_restored_by_id_fkey" FOREIGN KEY ("restored_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kill_drill" ADD CONSTRAINT "kill_drill_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kill_drill" ADD CONSTRAINT "kill_drill_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_actor_person_id_fkey" FOREIGN KEY ("actor_person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ============================================================================
-- Everything below is what schema.prisma cannot express. Prisma leaves CHECK
-- constraints, functions and triggers alone when it diffs, so they survive
-- `prisma migrate dev`; the section above is exactly what Prisma generates.
-- ============================================================================

-- The fleet-wide switch is a single row, created here so no reader has to upsert it.
ALTER TABLE "fleet_state" ADD CONSTRAINT "fleet_state_id_check" CHECK ("id" = 1);
INSERT INTO "fleet_state" ("id") VALUES (1);

-- Values that can only be mistakes: a quorum of nobody, a checkpoint that expires
-- at once, a delegation above its root, a drill nothing can pass.
ALTER TABLE "global_policy" ADD CONSTRAINT "global_policy_required_approvals_check" CHECK ("required_approvals" >= 1);
ALTER TABLE "global_policy" ADD CONSTRAINT "global_policy_expiry_seconds_check" CHECK ("expiry_seconds" > 0);
ALTER TABLE "global_policy" ADD CONSTRAINT "global_policy_max_extend_seconds_check" CHECK ("max_extend_seconds" >= 0);
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_required_approvals_check" CHECK ("required_approvals" >= 1);
ALTER TABLE "delegation" ADD CONSTRAINT "delegation_depth_check" CHECK ("depth" >= 1);
ALTER TABLE "kill_drill" ADD CONSTRAINT "kill_drill_threshold_ms_check" CHECK ("threshold_ms" > 0);

-- audit_event is append-only. Rows arrive unchained; the sealer later sets seq,
-- prev_hash and hash exactly once, and that is the only UPDATE allowed. Editing or
-- removing history therefore needs a superuser to drop this trigger first.
-- The comparison is over the whole row minus the seal columns, so a column added
-- later is protected without touching this function.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit_event is append-only: it cannot be truncated'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_event is append-only: row % cannot be deleted', OLD."id"
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD."seq" IS NOT NULL OR OLD."prev_hash" IS NOT NULL OR OLD."hash" IS NOT NULL THEN
        RAISE EXCEPTION 'audit_event is append-only: row % is already sealed and cannot change', OLD."id"
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW."seq" IS NULL OR NEW."prev_hash" IS NULL OR NEW."hash" IS NULL
        OR (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash']) THEN
        RAISE EXCEPTION 'audit_event is append-only: row % can only be sealed, by setting seq, prev_hash and hash together and changing nothing else', OLD."id"
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
    FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
