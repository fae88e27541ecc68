-- Free text in the audit viewer (issue 7), searched through a trigram index kept OFF the decision
-- path. A trigram index on decision.instruction or audit_event cost 80–100 µs of PostgreSQL per
-- inserted decision instead of about 30 (see 20261128120000_audit_viewer_indexes), on the path
-- every agent takes for every action. Instead a background indexer (lib/audit/index-audit-search.ts)
-- copies each sealed event's instruction into audit_search, in seal order, a batch per round.
-- The viewer reads the index for everything up to the watermark and checks the few events past it
-- (queued, or sealed after the last round) directly (lib/audit/find-audit-ids.ts).
--
-- Derived data, NOT part of the tamper-evident chain: nothing here is hashed or verified, and it
-- can be dropped and rebuilt from audit_event and audit_seal at any time (empty both tables, set
-- the watermark to 0, and the indexer refills them).

-- A trusted extension (PostgreSQL 13+): a database owner without superuser may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per indexed event that has an instruction.
CREATE TABLE "audit_search" (
    "event_id" BIGINT NOT NULL,
    "instruction" TEXT NOT NULL,

    CONSTRAINT "audit_search_pkey" PRIMARY KEY ("event_id")
);

-- How far the indexer has come: every event sealed at seq <= this one is in audit_search (when it
-- has an instruction). Seals commit in seq order (one sealer at a time, each round after the last
-- one's commit), so a watermark over seq never skips an event whose id was taken early and
-- committed late, as one over event ids would. One row, moved in the same transaction as the rows
-- it covers.
CREATE TABLE "audit_search_progress" (
    "id" SMALLINT NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "audit_search_progress_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_search_progress_one_row" CHECK ("id" = 1)
);

-- The events sealed already. The watermark is read first and the copy bounded by it: a sealer of
-- an instance still running the previous version may seal more while this runs, and those are
-- left to the indexer rather than counted as covered without being copied.
INSERT INTO "audit_search_progress" ("id", "seq") SELECT 1, coalesce(max("seq"), 0) FROM "audit_seal";

INSERT INTO "audit_search" ("event_id", "instruction")
SELECT s."event_id", e."reasoning"->>'instruction'
FROM "audit_seal" AS s JOIN "audit_event" AS e ON e."id" = s."event_id"
WHERE s."seq" <= (SELECT "seq" FROM "audit_search_progress" WHERE "id" = 1)
  AND e."reasoning"->>'instruction' IS NOT NULL;

-- Built after the copy: one sorted build is several times faster than as many inserts.
CREATE INDEX "audit_search_instruction_idx" ON "audit_search" USING GIN ("instruction" gin_trgm_ops);
