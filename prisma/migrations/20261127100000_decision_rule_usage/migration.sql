-- Rate limits count the decisions a permission line allowed in the last minute and hour
-- (lib/decisions/line-usage.ts). Keyed by the line, then effect, then time, so the count reads
-- only that line's allows in the window — never the denials a looping agent piles up on it.
CREATE INDEX "decision_rule_id_effect_created_at_idx" ON "decision"("rule_id", "effect", "created_at");
