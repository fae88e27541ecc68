-- The free-text search index (20261130100000_audit_search) split into ranges of 500,000 event ids,
-- each a partition with its own trigram index. A page of the viewer is the newest matches below a
-- cursor; one index over every event made a term with thousands of matches ("pipeline 1") decode
-- the posting lists of all of them, in every instruction ever written, before the newest hundred
-- could be picked: 100–200 ms at 5 million events, growing with the log. Now the viewer asks the
-- ranges nearest the cursor first (lib/audit/find-audit-ids.ts) and stops once the page is full.
--
-- Still derived data, outside the tamper-evident chain. Ranges are created as the ids reach them,
-- by the indexer (lib/audit/index-audit-search.ts) through audit_search_cover(); an id with no
-- range fails the indexer's round (nothing is lost: the watermark stays, the round is retried).

ALTER TABLE "audit_search" RENAME TO "audit_search_unsplit";
ALTER INDEX "audit_search_pkey" RENAME TO "audit_search_unsplit_pkey";
ALTER INDEX "audit_search_instruction_idx" RENAME TO "audit_search_unsplit_instruction_idx";

CREATE TABLE "audit_search" (
    "event_id" BIGINT NOT NULL,
    "instruction" TEXT NOT NULL,

    CONSTRAINT "audit_search_pkey" PRIMARY KEY ("event_id")
) PARTITION BY RANGE ("event_id");

-- Creates the range of each given event id that does not exist yet, named by its number
-- (audit_search_r0 holds ids 0..499999). The width is also SEARCH_RANGE_WIDTH in
-- lib/audit/index-audit-search.ts; test/integration/audit-search.test.ts checks they agree.
CREATE FUNCTION "audit_search_cover"(ids BIGINT[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  width CONSTANT BIGINT := 500000;
  r BIGINT;
  created INTEGER := 0;
BEGIN
  FOR r IN SELECT DISTINCT floor(id::numeric / width)::bigint FROM unnest(ids) AS id WHERE id IS NOT NULL LOOP
    IF to_regclass(format('%I', 'audit_search_r' || r)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF "audit_search" FOR VALUES FROM (%s) TO (%s)', 'audit_search_r' || r, r * width, (r + 1) * width);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;

-- One id per range in use (its first), rather than every id.
SELECT "audit_search_cover"(ARRAY(SELECT DISTINCT floor("event_id"::numeric / 500000)::bigint * 500000 FROM "audit_search_unsplit"));

INSERT INTO "audit_search" ("event_id", "instruction") SELECT "event_id", "instruction" FROM "audit_search_unsplit";

DROP TABLE "audit_search_unsplit";

-- Built after the copy (one sorted build per range), on every range, present and future.
CREATE INDEX "audit_search_instruction_idx" ON "audit_search" USING GIN ("instruction" gin_trgm_ops);
