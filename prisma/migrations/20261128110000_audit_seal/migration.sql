-- The audit chain (issue 7). No table or column changes: audit_event already has seq, prev_hash
-- and hash; the sealer (lib/audit/seal-events.ts) finds unsealed rows through the NULL range of
-- the unique index on seq.

-- The append-only check, same rules, cheaper: the sealer's UPDATE runs it for every row it seals
-- (thousands a second at full decision load), and building two jsonb documents of the whole row
-- cost about 40 µs a row where comparing the row as a record costs about 6. The comparison is
-- still over the whole row minus the seal columns, so a column added later is protected without
-- touching this function (its type needs an equality operator, as every column type here has).
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    unsealed "audit_event";
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
    unsealed := NEW;
    unsealed."seq" := NULL;
    unsealed."prev_hash" := NULL;
    unsealed."hash" := NULL;
    -- Records compare field by field with each type's equality, two NULLs counting as equal.
    IF NEW."seq" IS NULL OR NEW."prev_hash" IS NULL OR NEW."hash" IS NULL OR unsealed IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'audit_event is append-only: row % can only be sealed, by setting seq, prev_hash and hash together and changing nothing else', OLD."id"
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

-- Rows arrive unsealed. A row inserted with a seal of its own would either pass for part of the
-- chain until verified or take the seq the sealer needs next and stall it, so only the sealer's
-- UPDATE may seal. The WHEN clause keeps the hot path's inserts free of any function call.
CREATE FUNCTION "audit_event_insert_unsealed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event rows are inserted unsealed: seq, prev_hash and hash are set only by the sealer'
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "audit_event_insert_unsealed" BEFORE INSERT ON "audit_event"
    FOR EACH ROW WHEN (NEW."seq" IS NOT NULL OR NEW."prev_hash" IS NOT NULL OR NEW."hash" IS NOT NULL)
    EXECUTE FUNCTION "audit_event_insert_unsealed"();
