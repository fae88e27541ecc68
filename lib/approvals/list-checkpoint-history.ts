// The inbox's history tab: checkpoints that ended (approved, denied, expired, cancelled), the most
// recently ended first, with who voted, when, how long it took and the note — one keyset page at
// a time on the decided_at index.
import "server-only";
import { encodeCursor, type HistoryFilters } from "@/lib/approvals/inbox-filters";
import { pool } from "@/lib/db/pool";
import type { RiskLevel, Verdict } from "@/lib/generated/prisma/enums";

export const HISTORY_PAGE_SIZE = 50;

export type HistoryOutcome = "approved" | "denied" | "expired" | "cancelled";

export interface HistoryItem {
  id: string;
  agent: { slug: string; name: string };
  action: string;
  risk: RiskLevel | null;
  outcome: HistoryOutcome;
  createdAt: string;
  decidedAt: string;
  /** From the request to the end, in seconds. */
  secondsToDecide: number;
  note: string | null;
  votes: Array<{ person: string; verdict: Verdict; at: string; note: string | null }>;
  extended: boolean;
}

interface Row {
  id: string;
  agent_slug: string;
  agent_name: string;
  action: string;
  risk: RiskLevel | null;
  status: HistoryOutcome;
  created_at: Date;
  decided_at: Date;
  note: string | null;
  votes: Array<{ person: string; verdict: Verdict; at: string; note: string | null }> | null;
  extended: boolean;
}

const HISTORY_SQL = `
SELECT c.id::text AS id, ag.slug AS agent_slug, ag.name AS agent_name, d.action, a.risk::text AS risk, c.status::text AS status,
  c.created_at, c.decided_at, c.note, (c.extended_at IS NOT NULL) AS extended,
  (SELECT json_agg(json_build_object('person', p.name, 'verdict', ap.verdict, 'at', ap.created_at, 'note', ap.note) ORDER BY ap.created_at)
     FROM approval ap JOIN person p ON p.id = ap.person_id WHERE ap.checkpoint_id = c.id) AS votes
FROM checkpoint c
JOIN agent ag ON ag.id = c.agent_id
JOIN decision d ON d.id = c.decision_id
LEFT JOIN action a ON a.key = d.action
LEFT JOIN system s ON s.id = a.system_id
WHERE c.status <> 'pending' AND c.decided_at IS NOT NULL
  AND ($1::text IS NULL OR ag.slug = $1)
  AND ($2::text IS NULL OR s.key = $2)
  AND ($3::text IS NULL OR a.risk::text = $3)
  AND ($4::text IS NULL OR c.status::text = $4)
  AND ($5::timestamptz IS NULL OR (c.decided_at <= $5 AND (c.decided_at, c.id) < ($5, $6::uuid)))
ORDER BY c.decided_at DESC, c.id DESC
LIMIT $7`;

export async function listCheckpointHistory(filters: HistoryFilters): Promise<{ items: HistoryItem[]; next: string | null }> {
  const { rows } = await pool().query<Row>(HISTORY_SQL, [
    filters.agent ?? null,
    filters.system ?? null,
    filters.risk ?? null,
    filters.outcome ?? null,
    filters.before?.at ?? null,
    filters.before?.id ?? null,
    HISTORY_PAGE_SIZE + 1,
  ]);
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      agent: { slug: row.agent_slug, name: row.agent_name },
      action: row.action,
      risk: row.risk,
      outcome: row.status,
      createdAt: row.created_at.toISOString(),
      decidedAt: row.decided_at.toISOString(),
      secondsToDecide: Math.max(0, (row.decided_at.getTime() - row.created_at.getTime()) / 1000),
      note: row.note,
      votes: row.votes ?? [],
      extended: row.extended,
    })),
    next: rows.length > HISTORY_PAGE_SIZE && last ? encodeCursor(last.decided_at, last.id) : null,
  };
}
