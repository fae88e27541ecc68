-- "Senior acts and the owners are notified" (DESIGN.md §5 rule 6). The engine has always
-- computed the flag; now the decision keeps it, so the console can tell each owner what their
-- senior agents did without asking anyone (lib/monitoring/list-owner-notices.ts). Set by the
-- decision writer only when the committed effect is allow. A constant default: no table rewrite.
-- No index of its own: the notices are read per agent through decision(agent_id, created_at).
ALTER TABLE "decision" ADD COLUMN "notify_owners" BOOLEAN NOT NULL DEFAULT false;
