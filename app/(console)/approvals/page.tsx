import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/guard";
import { listApproverStats, STATS_DAYS } from "@/lib/approvals/approver-stats";
import { inboxFiltersSchema } from "@/lib/approvals/inbox-filters";
import { listInboxOptions } from "@/lib/approvals/inbox-options";
import { inboxVersion } from "@/lib/approvals/inbox-version";
import { listInbox } from "@/lib/approvals/list-inbox";
import { can } from "@/lib/people/capabilities";
import { ApproverStatsTable } from "@/components/approvals/approver-stats-table";
import { firstValues, type RawSearchParams } from "../search-params";
import { ApprovalFilters } from "./approval-filters";
import { Inbox } from "./inbox";

export const metadata: Metadata = { title: "Approvals" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const person = await requirePage("approvals.view", { path: "/approvals" });
  const raw = firstValues(await searchParams);
  const filters = inboxFiltersSchema.parse(raw);
  const now = new Date();
  // The marker first: a change while the page is read makes the first poll fetch again.
  const version = await inboxVersion();
  const [page, options, stats] = await Promise.all([listInbox(person, filters, now), listInboxOptions(now), listApproverStats(now)]);
  const values = { agent: filters.agent, system: filters.system, risk: filters.risk, after: raw.after && filters.after ? raw.after : undefined };

  return (
    <>
      <ApprovalFilters action="/approvals" options={options} values={values} filtered={Boolean(filters.agent || filters.system || filters.risk)} />
      <Inbox
        key={JSON.stringify(values)}
        initial={{ version, offsetMs: 0, page }}
        filters={values}
        mayDecide={can(person.roles, "approvals.decide")}
        focusId={raw.checkpoint && UUID.test(raw.checkpoint) ? raw.checkpoint.toLowerCase() : null}
        recentlyFatigued={stats.some((row) => row.personId === person.id && row.fatigued)}
        renderedAt={now.getTime()}
      />
      <section aria-labelledby="pace-heading" className="mt-8">
        <h2 id="pace-heading" className="mb-2 text-sm font-semibold">
          Approver pace
        </h2>
        <p className="mb-2 text-xs text-muted">
          Approve rate and median time from opening a checkpoint to deciding it. Ten approvals within a minute, each under three seconds, are flagged as approval
          fatigue.
        </p>
        <ApproverStatsTable stats={stats} days={STATS_DAYS} />
      </section>
    </>
  );
}
