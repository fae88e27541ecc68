// The approval inbox: checkpoints still waiting for people, the one that expires soonest first,
// filtered by agent, system and risk, one keyset page at a time (10,000 pending stay fast: the
// (status, expires_at) index gives the order, and a page reads PAGE_SIZE + 1 rows). A checkpoint
// past its expiry is a deny, so it is not listed even before the sweeper marks it expired.
// Plain JSON (strings, numbers), because the console polls it (app/api/console/approvals/inbox).
import "server-only";
import { encodeCursor, type InboxFilters } from "@/lib/approvals/inbox-filters";
import { stakeText } from "@/lib/approvals/separation-of-duties";
import { pool } from "@/lib/db/pool";
import type { ActionCategory, Maturity, RiskLevel } from "@/lib/generated/prisma/enums";

export const INBOX_PAGE_SIZE = 50;
const INSTRUCTION_PREVIEW = 280;

export interface InboxItem {
  id: string;
  agent: { slug: string; name: string; maturity: Maturity; owners: string[] };
  action: string;
  system: string | null;
  category: ActionCategory | null;
  risk: RiskLevel | null;
  resource: string | null;
  instruction: string;
  onBehalfOf: string | null;
  delegated: boolean;
  reason: string;
  policyName: string | null;
  requiredApprovals: number;
  approvals: number;
  createdAt: string;
  expiresAt: string;
  /** The viewer deployed or owns the agent, or one it acts for: separation of duties keeps them from deciding. */
  yours: boolean;
  /** The viewer already voted (toward a quorum of several). */
  votedByYou: boolean;
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  /** Cursor of the next page, or null on the last. */
  next: string | null;
}

interface Row {
  id: string;
  expires_at: Date;
  created_at: Date;
  required_approvals: number;
  approvals: number;
  voted_by_you: boolean;
  agent_slug: string;
  agent_name: string;
  maturity: Maturity;
  yours: boolean;
  owners: string[] | null;
  action: string;
  resource: string | null;
  instruction: string;
  on_behalf_of: string | null;
  delegated: boolean;
  reason: string;
  category: ActionCategory | null;
  risk: RiskLevel | null;
  system_key: string | null;
  policy_name: string | null;
}

// $1 now, $2 agent slug, $3 system key, $4 risk: shared by the page and the count.
const FILTERED = `
FROM checkpoint c
JOIN agent ag ON ag.id = c.agent_id
JOIN decision d ON d.id = c.decision_id
LEFT JOIN action a ON a.key = d.action
LEFT JOIN system s ON s.id = a.system_id
WHERE c.status = 'pending' AND c.expires_at > $1
  AND ($2::text IS NULL OR ag.slug = $2)
  AND ($3::text IS NULL OR s.key = $3)
  AND ($4::text IS NULL OR a.risk::text = $4)`;

const PAGE_SQL = `
SELECT c.id::text AS id, c.expires_at, c.created_at, c.required_approvals,
  (SELECT count(*) FROM approval ap WHERE ap.checkpoint_id = c.id AND ap.verdict = 'approve')::int AS approvals,
  EXISTS (SELECT 1 FROM approval ap WHERE ap.checkpoint_id = c.id AND ap.person_id = $5::uuid) AS voted_by_you,
  ag.slug AS agent_slug, ag.name AS agent_name, ag.maturity::text AS maturity,
  ${stakeText("$5")} AS yours,
  (SELECT array_agg(p.name ORDER BY p.name) FROM agent_owner o JOIN person p ON p.id = o.person_id WHERE o.agent_id = ag.id) AS owners,
  d.action, d.resource, left(d.instruction, ${INSTRUCTION_PREVIEW}) AS instruction, d.on_behalf_of,
  (d.delegation_id IS NOT NULL) AS delegated, d.reason,
  a.category::text AS category, a.risk::text AS risk, s.key AS system_key,
  (SELECT gp.name FROM global_policy gp WHERE gp.id = c.policy_id) AS policy_name
${FILTERED}
  AND ($6::timestamptz IS NULL OR (c.expires_at >= $6 AND (c.expires_at, c.id) > ($6, $7::uuid)))
ORDER BY c.expires_at, c.id
LIMIT $8`;

const COUNT_SQL = `SELECT count(*)::int AS total ${FILTERED}`;

export async function listInbox(viewer: { id: string }, filters: InboxFilters, now: Date = new Date()): Promise<InboxPage> {
  const shared = [now, filters.agent ?? null, filters.system ?? null, filters.risk ?? null];
  const [page, count] = await Promise.all([
    pool().query<Row>(PAGE_SQL, [...shared, viewer.id, filters.after?.at ?? null, filters.after?.id ?? null, INBOX_PAGE_SIZE + 1]),
    pool().query<{ total: number }>(COUNT_SQL, shared),
  ]);
  const rows = page.rows.slice(0, INBOX_PAGE_SIZE);
  const last = rows.at(-1);
  return {
    items: rows.map(toItem),
    total: count.rows[0]?.total ?? 0,
    next: page.rows.length > INBOX_PAGE_SIZE && last ? encodeCursor(last.expires_at, last.id) : null,
  };
}

function toItem(row: Row): InboxItem {
  return {
    id: row.id,
    agent: { slug: row.agent_slug, name: row.agent_name, maturity: row.maturity, owners: row.owners ?? [] },
    action: row.action,
    system: row.system_key,
    category: row.category,
    risk: row.risk,
    resource: row.resource,
    instruction: row.instruction,
    onBehalfOf: row.on_behalf_of,
    delegated: row.delegated,
    reason: row.reason,
    policyName: row.policy_name,
    requiredApprovals: row.required_approvals,
    approvals: row.approvals,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    yours: row.yours,
    votedByYou: row.voted_by_you,
  };
}
