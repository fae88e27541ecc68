// The fatigue guard's figures per approver over the last 30 days: how many votes, what share were
// approvals, the median time from opening a checkpoint to voting on it, how many approvals were
// fast (fast-approvals.ts), and whether a run of fast approvals was flagged recently. Shown on the
// inbox and the overview, so a team sees rubber-stamping before an incident does.
import "server-only";
import { FAST_APPROVAL_MS } from "@/lib/approvals/fast-approvals";
import { pool } from "@/lib/db/pool";

export const STATS_DAYS = 30;
/** A flagged run stays "recent" this long after its alert. */
export const RECENT_FATIGUE_MS = 15 * 60_000;

export interface ApproverStats {
  personId: string;
  name: string;
  votes: number;
  approvals: number;
  /** approvals / votes, 0..1. */
  approveRate: number;
  /** Median seconds from opening the checkpoint to the vote. */
  medianSeconds: number | null;
  fastApprovals: number;
  /** A run of fast approvals was flagged in the last RECENT_FATIGUE_MS. */
  fatigued: boolean;
}

const STATS_SQL = `
SELECT p.id::text AS person_id, p.name, count(*)::int AS votes,
  count(*) FILTER (WHERE ap.verdict = 'approve')::int AS approvals,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ap.created_at - coalesce(ap.opened_at, c.created_at))) AS median_seconds,
  count(*) FILTER (WHERE ap.verdict = 'approve' AND ap.created_at - coalesce(ap.opened_at, c.created_at) < make_interval(secs => $3))::int AS fast,
  EXISTS (SELECT 1 FROM alert al WHERE al.kind = 'approval_fatigue' AND al.created_at > $2 AND al.resolved_at IS NULL
    AND al.data->>'personId' = p.id::text) AS fatigued
FROM approval ap
JOIN person p ON p.id = ap.person_id
JOIN checkpoint c ON c.id = ap.checkpoint_id
WHERE ap.created_at > $1
GROUP BY p.id, p.name
ORDER BY count(*) DESC, p.name
LIMIT 100`;

interface Row {
  person_id: string;
  name: string;
  votes: number;
  approvals: number;
  median_seconds: number | null;
  fast: number;
  fatigued: boolean;
}

export async function listApproverStats(now: Date = new Date()): Promise<ApproverStats[]> {
  const since = new Date(now.getTime() - STATS_DAYS * 24 * 60 * 60_000);
  const { rows } = await pool().query<Row>(STATS_SQL, [since, new Date(now.getTime() - RECENT_FATIGUE_MS), FAST_APPROVAL_MS / 1000]);
  return rows.map((row) => ({
    personId: row.person_id,
    name: row.name,
    votes: row.votes,
    approvals: row.approvals,
    approveRate: row.votes ? row.approvals / row.votes : 0,
    medianSeconds: row.median_seconds === null ? null : Number(row.median_seconds),
    fastApprovals: row.fast,
    fatigued: row.fatigued,
  }));
}
