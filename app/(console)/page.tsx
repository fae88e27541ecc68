import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { listApproverStats, STATS_DAYS } from "@/lib/approvals/approver-stats";
import { getFleetState } from "@/lib/kill/get-fleet-state";
import { listCapabilityOptions } from "@/lib/kill/list-capability-options";
import { listKillableAgents } from "@/lib/kill/list-killable-agents";
import { getOverviewStats } from "@/lib/monitoring/overview-stats";
import { listRecentDenials } from "@/lib/monitoring/list-recent-denials";
import { listRecentAlerts } from "@/lib/monitoring/list-recent-alerts";
import { listOwnerNotices, NOTICE_DAYS, type OwnerNotice } from "@/lib/monitoring/list-owner-notices";
import { can } from "@/lib/people/capabilities";
import { ApproverStatsTable } from "@/components/approvals/approver-stats-table";
import { CapabilityKillForm } from "@/components/kill/capability-kill-form";
import { CapabilityKills } from "@/components/kill/capability-kills";
import { FleetBanner } from "@/components/kill/fleet-banner";
import { KillableAgents } from "@/components/kill/killable-agents";
import { StopAllControl } from "@/components/kill/stop-all-control";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { OverviewHeadline } from "./overview-headline";

export const metadata: Metadata = { title: "Overview" };

const SEVERITY_TONE = { info: "grey", warning: "amber", critical: "orange" } as const;

export default async function OverviewPage() {
  const person = await requirePage("console.view", { path: "/" });
  const now = new Date();
  // Approver pace (the fatigue guard's figures) for those who work or watch the inbox.
  const seesApprovals = can(person.roles, "approvals.view");
  const [stats, denials, alerts, fleet, killable, approvers, notices] = await Promise.all([
    getOverviewStats(now),
    listRecentDenials(10),
    listRecentAlerts(10),
    getFleetState(),
    listKillableAgents(person),
    seesApprovals ? listApproverStats(now) : Promise.resolve(null),
    listOwnerNotices(person, { now }),
  ]);
  const admin = can(person.roles, "fleet.stop_all");
  return (
    <>
      <PageHeader title="Overview" description="The fleet right now: agents, approvals waiting, and what was refused.">
        {admin ? <StopAllControl stopped={fleet.stopped} activeAgents={stats.agents.byStatus.active} /> : null}
      </PageHeader>
      <FleetBanner fleet={fleet} now={now} />
      <OverviewHeadline initial={stats} />

      {killable.length > 0 ? (
        <section aria-labelledby="kill-heading" className="mt-8">
          <h2 id="kill-heading" className="mb-1 text-sm font-semibold">
            Kill switch
          </h2>
          <p className="mb-2 text-xs text-muted">
            One click stops an agent: <strong>Kill</strong> lets work under way finish and report; <strong>Force-kill</strong> also revokes its keys.
          </p>
          <KillableAgents agents={killable} now={now} />
        </section>
      ) : null}
      {admin ? <FleetCapabilities fleet={fleet} now={now} /> : null}
      {notices.length > 0 ? <OwnerNotices notices={notices} now={now} /> : null}

      <section aria-labelledby="denials-heading" className="mt-8">
        <h2 id="denials-heading" className="mb-2 text-sm font-semibold">
          Recent denials
        </h2>
        {denials.length === 0 ? (
          <EmptyState title="No denied decisions yet">
            Denials appear here as agents ask for actions outside their written list or their limits.
          </EmptyState>
        ) : (
          <Table caption="The 10 most recent denied decisions">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Agent</Th>
                <Th>Action</Th>
                <Th>Reason</Th>
                <Th>Instruction</Th>
              </tr>
            </thead>
            <tbody>
              {denials.map((denial) => (
                <tr key={denial.id}>
                  <Td>
                    <RelativeTime date={denial.createdAt} now={now} />
                  </Td>
                  <RowTh>
                    <Link href={`/agents/${denial.agent.slug}`} className="hover:underline">
                      {denial.agent.name}
                    </Link>
                  </RowTh>
                  <Td className="font-mono text-xs">{denial.action}</Td>
                  <Td className="font-mono text-xs">{denial.reason}</Td>
                  <Td className="max-w-md truncate" title={denial.instruction}>
                    {denial.instruction}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      {approvers ? (
        <section aria-labelledby="approver-pace-heading" className="mt-8">
          <h2 id="approver-pace-heading" className="mb-2 text-sm font-semibold">
            Approver pace
          </h2>
          <ApproverStatsTable stats={approvers} days={STATS_DAYS} />
        </section>
      ) : null}

      <section aria-labelledby="alerts-heading" className="mt-8">
        <h2 id="alerts-heading" className="mb-2 text-sm font-semibold">
          Recent alerts
        </h2>
        {alerts.length === 0 ? (
          <EmptyState title="No alerts">
            Behaviour alerts (rate spikes, denial bursts, stale heartbeats) appear here when monitoring raises them.
          </EmptyState>
        ) : (
          <Table caption="The 10 most recent alerts">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Agent</Th>
                <Th>Kind</Th>
                <Th>Severity</Th>
                <Th>Message</Th>
                <Th>State</Th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.id}>
                  <Td>
                    <RelativeTime date={alert.createdAt} now={now} />
                  </Td>
                  <RowTh>
                    {alert.agent ? (
                      <Link href={`/agents/${alert.agent.slug}`} className="hover:underline">
                        {alert.agent.name}
                      </Link>
                    ) : (
                      <span className="text-muted">fleet</span>
                    )}
                  </RowTh>
                  <Td className="font-mono text-xs">{alert.kind.replaceAll("_", " ")}</Td>
                  <Td>
                    <Badge tone={SEVERITY_TONE[alert.severity]}>{alert.severity}</Badge>
                  </Td>
                  <Td>
                    {alert.message}
                    {alert.autoSuspended ? <span className="ml-1 text-muted">(agent suspended automatically)</span> : null}
                  </Td>
                  <Td>{alert.resolvedAt ? "resolved" : "open"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </>
  );
}

async function FleetCapabilities({ fleet, now }: { fleet: Awaited<ReturnType<typeof getFleetState>>; now: Date }) {
  const options = await listCapabilityOptions();
  return (
    <section aria-labelledby="capabilities-heading" className="mt-8 grid gap-2">
      <h2 id="capabilities-heading" className="text-sm font-semibold">
        Capabilities switched off for every agent
      </h2>
      <CapabilityKills
        kills={fleet.capabilityKills}
        caption="Capabilities switched off for every agent"
        canRestore
        now={now}
        emptyHint="Switch off an action or a whole category for every agent at once, without stopping anything else."
      />
      <CapabilityKillForm options={options} scope="for every agent" />
    </section>
  );
}

/** What the person's senior agents did on their own (DESIGN.md §5 rule 6): shown to their owners. */
function OwnerNotices({ notices, now }: { notices: OwnerNotice[]; now: Date }) {
  return (
    <section aria-labelledby="notices-heading" className="mt-8">
      <h2 id="notices-heading" className="mb-1 text-sm font-semibold">
        Your senior agents acted
      </h2>
      <p className="mb-2 text-xs text-muted">
        Senior agents take non-read actions on their list without approval, and their owners are told here (the last {NOTICE_DAYS} days).
      </p>
      <Table caption="The latest actions your senior agents took without approval">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Agent</Th>
            <Th>Action</Th>
            <Th>Resource</Th>
            <Th>Instruction</Th>
          </tr>
        </thead>
        <tbody>
          {notices.map((notice) => (
            <tr key={notice.id}>
              <Td>
                <RelativeTime date={notice.createdAt} now={now} />
              </Td>
              <RowTh>
                <Link href={`/agents/${notice.agentSlug}/activity`} className="hover:underline">
                  {notice.agentName}
                </Link>
              </RowTh>
              <Td className="font-mono text-xs">{notice.action}</Td>
              <Td className="max-w-xs truncate font-mono text-xs" title={notice.resource ?? undefined}>
                {notice.resource ?? "—"}
              </Td>
              <Td className="max-w-md truncate" title={notice.instruction}>
                {notice.instruction}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
