-- The audit chain's seal moves out of audit_event (issue 7). Sealing a row in place rewrote the
-- whole ~1 KB row and every one of audit_event's indexes and ran its append-only check: 60-150 µs
-- of PostgreSQL a row, more than one sealer keeps up with at full decision load. A seal is now a
-- narrow row of its own, and the sealer's queue is a table too, filled by audit_event's inserts.
-- The canonical encoding never covered the seal columns, so every existing hash stays valid.

-- One row per chain position: which event sits there, and its link and hash.
CREATE TABLE "audit_seal" (
    "seq" BIGINT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_seal_pkey" PRIMARY KEY ("seq")
);

CREATE UNIQUE INDEX "audit_seal_event_id_key" ON "audit_seal"("event_id");

-- The events waiting for the sealer. No foreign keys on either table: a deleted event must stay
-- visible to the verifier as a seal without its event, and a key would cost the sealer a lookup
-- per row.
CREATE TABLE "audit_unsealed" (
    "event_id" BIGINT NOT NULL,

    CONSTRAINT "audit_unsealed_pkey" PRIMARY KEY ("event_id")
);

-- Every row is inserted and deleted within a second or so: vacuum it often, whatever its size,
-- so the sealer's scan from the smallest id does not wade through dead entries.
ALTER TABLE "audit_unsealed" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_cost_delay = 0);

-- Existing seals move as they are (a seal damaged by hand keeps its damage, as an empty text the
-- verifier reports, rather than failing the upgrade); the rest is queued.
INSERT INTO "audit_seal" ("seq", "event_id", "prev_hash", "hash")
SELECT "seq", "id", coalesce("prev_hash", ''), coalesce("hash", '') FROM "audit_event" WHERE "seq" IS NOT NULL;

INSERT INTO "audit_unsealed" ("event_id") SELECT "id" FROM "audit_event" WHERE "seq" IS NULL;

DROP TRIGGER "audit_event_insert_unsealed" ON "audit_event";
DROP FUNCTION "audit_event_insert_unsealed"();
DROP INDEX "audit_event_seq_key";
ALTER TABLE "audit_event" DROP COLUMN "seq", DROP COLUMN "prev_hash", DROP COLUMN "hash";

-- audit_event is now append-only without exception: nothing in it is ever updated.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger
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
    RAISE EXCEPTION 'audit_event is append-only: row % cannot be changed', OLD."id"
        USING ERRCODE = 'restrict_violation';
END;
$$;

-- Queues every appended event, once per statement: the group-commit writer's multi-row insert
-- pays one extra INSERT … SELECT per flush, and every other path (recordAudit, seeds, imports) is
-- covered without knowing about it. The queue row commits (or not) with its event, so nothing
-- can be appended without being queued.
CREATE FUNCTION "audit_event_enqueue"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "audit_unsealed" ("event_id") SELECT "id" FROM "appended";
    RETURN NULL;
END;
$$;

CREATE TRIGGER "audit_event_enqueue" AFTER INSERT ON "audit_event"
    REFERENCING NEW TABLE AS "appended"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_enqueue"();

-- A seal is written once. Inserting one takes its event off the queue, and only a queued event
-- can be sealed: a seal made by hand for an event not waiting (or already sealed) is refused,
-- and one made for a waiting event takes it out of the sealer's way instead of stalling it (the
-- verifier then judges that seal like any other). Together with the queue's own rules below,
-- every event is either queued or sealed, never both and never neither.
CREATE FUNCTION "audit_seal_insert_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit_seal is insert-only: it cannot be truncated'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RAISE EXCEPTION 'audit_seal is insert-only: the seal at seq % cannot be %', OLD."seq", CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'changed' END
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "audit_seal_insert_only" BEFORE UPDATE OR DELETE ON "audit_seal"
    FOR EACH ROW EXECUTE FUNCTION "audit_seal_insert_only"();

CREATE TRIGGER "audit_seal_no_truncate" BEFORE TRUNCATE ON "audit_seal"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_seal_insert_only"();

CREATE FUNCTION "audit_seal_dequeue"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    dequeued bigint;
BEGIN
    -- Through the queue's key, one probe per seal: a join would be planned as a scan of the whole
    -- queue, which is long exactly when the sealer is catching up.
    DELETE FROM "audit_unsealed" WHERE "event_id" = ANY (ARRAY(SELECT "event_id" FROM "sealed"));
    GET DIAGNOSTICS dequeued = ROW_COUNT;
    IF dequeued <> (SELECT count(*) FROM "sealed") THEN
        RAISE EXCEPTION 'audit_seal: only an event waiting in audit_unsealed can be sealed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "audit_seal_dequeue" AFTER INSERT ON "audit_seal"
    REFERENCING NEW TABLE AS "sealed"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_seal_dequeue"();

-- The queue grows only through audit_event's trigger and shrinks only through audit_seal's:
-- pg_trigger_depth() is 1 for a statement of its own and 2 inside those triggers. An event taken
-- off it by hand would silently stay out of the chain forever (the verifier walks seals, so it
-- could not tell); one queued by hand — already sealed, or no event at all — would fail every
-- sealing round. The check is one call per statement, not per row: on the decision path it costs
-- one function call per flush.
CREATE FUNCTION "audit_unsealed_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'audit_unsealed is filled only by inserts into audit_event'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'audit_unsealed: an event leaves the queue only by being sealed (an insert into audit_seal)'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP IN ('UPDATE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'audit_unsealed: the queue cannot be changed or truncated, only sealed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "audit_unsealed_guard" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "audit_unsealed"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_unsealed_guard"();
