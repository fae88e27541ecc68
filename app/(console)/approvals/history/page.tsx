import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { HISTORY_OUTCOMES, filterParams, historyFiltersSchema } from "@/lib/approvals/inbox-filters";
import { listInboxOptions } from "@/lib/approvals/inbox-options";
import { listCheckpointHistory, type HistoryOutcome } from "@/lib/approvals/list-checkpoint-history";
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { RiskBadge } from "@/components/ui/risk-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { firstValues, type RawSearchParams } from "../../search-params";
import { ApprovalFilters } from "../approval-filters";

export const metadata: Metadata = { title: "Approval history" };

// Expired is a deny too, but nobody chose it: amber, where a person's denial is red.
const OUTCOME_TONE: Record<HistoryOutcome, Tone> = { approved: "green", denied: "red", expired: "amber", cancelled: "slate" };

export default async function ApprovalHistoryPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePage("approvals.view", { path: "/approvals/history" });
  const now = new Date();
  const filters = historyFiltersSchema.parse(firstValues(await searchParams));
  const [{ items, next }, options] = await Promise.all([listCheckpointHistory(filters), listInboxOptions(now, "any")]);
  const filtered = Boolean(filters.agent || filters.system || filters.risk || filters.outcome);
  const base = filterParams(filters);

  return (
    <>
      <ApprovalFilters action="/approvals/history" options={options} values={filters} filtered={filtered}>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Outcome
          <select name="outcome" defaultValue={filters.outcome ?? ""} className="rounded border border-line bg-surface px-2 py-1.5 text-sm text-fg">
            <option value="">Any outcome</option>
            {HISTORY_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </select>
        </label>
      </ApprovalFilters>
      {items.length === 0 ? (
        <EmptyState title={filtered ? "No decided checkpoints match these filters" : "No checkpoint has been decided yet"}>
          {filtered ? (
            <Link href="/approvals/history" className="text-accent underline">
              Clear the filters
            </Link>
          ) : (
            "Approved, denied, expired and cancelled checkpoints are listed here, the most recent first."
          )}
        </EmptyState>
      ) : (
        <Table caption="Decided checkpoints, the most recently decided first">
          <thead>
            <tr>
              <Th>Checkpoint</Th>
              <Th>Outcome</Th>
              <Th>Decided by</Th>
              <Th>When</Th>
              <Th className="text-right">Time to decide</Th>
              <Th>Note</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <RowTh>
                  <Link href={`/approvals?checkpoint=${item.id}`} className="text-accent hover:underline" title="Open its details (the opening is audited)">
                    {item.agent.name}
                  </Link>
                  <div className="font-mono text-xs font-normal">{item.action}</div>
                  {item.risk ? (
                    <div className="mt-1">
                      <RiskBadge risk={item.risk} />
                    </div>
                  ) : null}
                </RowTh>
                <Td>
                  <Badge tone={OUTCOME_TONE[item.outcome]}>{item.outcome}</Badge>
                  {item.extended ? <div className="mt-1 text-xs text-muted">extended once</div> : null}
                </Td>
                <Td>
                  {item.votes.length ? (
                    <ul className="text-xs">
                      {item.votes.map((vote) => (
                        <li key={`${vote.person}-${vote.at}`}>
                          {vote.person} <span className="text-muted">({vote.verdict})</span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-xs text-muted">{item.outcome === "expired" ? "nobody (timed out)" : "nobody (the agent was stopped)"}</span>
                  )}
                </Td>
                <Td>
                  <RelativeTime date={item.decidedAt} now={now} />
                </Td>
                <Td className="text-right tabular-nums">{formatDuration(item.secondsToDecide)}</Td>
                <Td className="max-w-sm text-xs">{item.note ?? <span className="text-muted">–</span>}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <nav aria-label="Pages" className="mt-3 flex gap-3 text-xs">
        {filters.before ? (
          <Link href={`/approvals/history${base.size ? `?${base}` : ""}`} className="text-accent underline">
            Newest
          </Link>
        ) : null}
        {next ? (
          <Link href={`/approvals/history?${new URLSearchParams([...base, ["before", next]])}`} className="text-accent underline">
            Older
          </Link>
        ) : null}
      </nav>
    </>
  );
}
