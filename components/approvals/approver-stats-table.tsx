// The fatigue guard's table: each approver's pace over the last 30 days. Shown on the inbox and
// on the overview; a recently flagged run of fast approvals is marked.
import type { ApproverStats } from "@/lib/approvals/approver-stats";
import { FAST_APPROVAL_MS } from "@/lib/approvals/fast-approvals";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RowTh, Table, Td, Th } from "@/components/ui/table";

function seconds(value: number | null): string {
  if (value === null) return "–";
  return value < 60 ? `${value.toFixed(1)} s` : `${Math.round(value / 60)} min`;
}

export function ApproverStatsTable({ stats, days }: { stats: ApproverStats[]; days: number }) {
  if (stats.length === 0) {
    return <EmptyState title={`No votes in the last ${days} days`}>Each approver&apos;s approve rate and pace appear here once they decide checkpoints.</EmptyState>;
  }
  return (
    <Table caption={`Approvers' pace over the last ${days} days`}>
      <thead>
        <tr>
          <Th>Approver</Th>
          <Th className="text-right">Votes</Th>
          <Th className="text-right">Approve rate</Th>
          <Th className="text-right" title="From opening a checkpoint's details to the vote">
            Median time to decide
          </Th>
          <Th className="text-right">{`Approvals under ${FAST_APPROVAL_MS / 1000} s`}</Th>
          <Th>Fatigue</Th>
        </tr>
      </thead>
      <tbody>
        {stats.map((row) => (
          <tr key={row.personId}>
            <RowTh>{row.name}</RowTh>
            <Td className="text-right tabular-nums">{row.votes}</Td>
            <Td className="text-right tabular-nums">{Math.round(row.approveRate * 100)} %</Td>
            <Td className="text-right tabular-nums">{seconds(row.medianSeconds)}</Td>
            <Td className="text-right tabular-nums">{row.fastApprovals}</Td>
            <Td>{row.fatigued ? <Badge tone="amber">fast run flagged</Badge> : <span className="text-muted">–</span>}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
