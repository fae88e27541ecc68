-- The audit viewer (lib/audit/find-audit-ids.ts).
--
-- Free text in a decision's instruction ("%term%") has no index, deliberately: a trigram GIN
-- index on decision.instruction was measured at 80–100 µs of PostgreSQL per inserted decision
-- instead of about 30 (bulk inserts), on the one path that must stay cheapest — every agent's
-- every decision. Without it a common term is found in milliseconds (the newest matches come
-- first) and a rare one scans, seconds at 5 million events; narrowing by agent, time or trace
-- keeps it fast. A search index kept off the decision path is the follow-up.

-- The events about one subject (a decision's made / outcome events, a checkpoint's votes), and
-- the way back from a matching decision to its decision.made event.
CREATE INDEX "audit_event_subject_id_idx" ON "audit_event"("subject_id");

-- What a decision.made event says about its effect and action lives in data (jsonb), where the
-- planner would guess 0.5% for any value. With real frequencies it sees that "this agent's
-- denials" are common enough to walk the agent's (agent_id, id) index newest first, instead of
-- collecting all of the agent's events and sorting them. (Statistics objects have no place in
-- schema.prisma; ANALYZE — autovacuum's or the seed script's — fills them.)
CREATE STATISTICS "audit_event_decision_stats" ON (("data"->>'effect')), (("data"->>'action')) FROM "audit_event";
