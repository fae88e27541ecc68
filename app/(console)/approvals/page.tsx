import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { listPendingCheckpoints } from "@/lib/approvals/list-pending-checkpoints";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requirePage("approvals.view", { path: "/approvals" });
  const now = new Date();
  const checkpoints = await listPendingCheckpoints(now);

  return (
    <>
      <PageHeader
        title="Approvals"
        description={`${formatCount(checkpoints.length, "checkpoint")} waiting, the one expiring soonest first. An unanswered checkpoint is denied when it expires.`}
      />
      {checkpoints.length === 0 ? (
        <EmptyState title="Nothing is waiting for approval">
          Checkpoints appear here when an agent asks for an action its written list or a global policy sends to a human.
        </EmptyState>
      ) : (
        <Table caption="Pending checkpoints, soonest expiry first">
          <thead>
            <tr>
              <Th>Agent</Th>
              <Th>Action</Th>
              <Th>Category / risk</Th>
              <Th>Agent&apos;s instruction</Th>
              <Th>Approvals</Th>
              <Th>Requested</Th>
              <Th>Expires</Th>
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((checkpoint) => (
              <tr key={checkpoint.id}>
                <RowTh>
                  <Link href={`/agents/${checkpoint.agent.slug}`} className="text-accent hover:underline">
                    {checkpoint.agent.name}
                  </Link>
                </RowTh>
                <Td className="font-mono text-xs">
                  {checkpoint.action}
                  {checkpoint.resource ? <div className="text-muted">{checkpoint.resource}</div> : null}
                </Td>
                <Td>
                  {checkpoint.category ? <CategoryLabel category={checkpoint.category} /> : <span className="text-muted">not in catalog</span>}
                  {checkpoint.risk ? (
                    <div className="mt-1">
                      <RiskBadge risk={checkpoint.risk} />
                    </div>
                  ) : null}
                </Td>
                <Td className="max-w-md">{checkpoint.instruction}</Td>
                <Td className="whitespace-nowrap tabular-nums">
                  {checkpoint.approvalsSoFar} of {formatCount(checkpoint.requiredApprovals, "approval")}
                  {checkpoint.policyName ? <div className="text-xs text-muted">policy: {checkpoint.policyName}</div> : null}
                </Td>
                <Td>
                  <RelativeTime date={checkpoint.createdAt} now={now} />
                </Td>
                <Td>
                  <RelativeTime date={checkpoint.expiresAt} now={now} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
