import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { getDecisionRecord } from "@/lib/audit/get-decision-record";
import { AuditEventsTable } from "@/components/audit/audit-events-table";
import { Facts, Section } from "@/components/audit/facts";
import { JsonBlock } from "@/components/audit/json-block";
import { EffectBadge } from "@/components/ui/effect-badge";
import { formatAbsolute, formatLatency } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { CheckpointSection, RuleFacts } from "./record-parts";

export const metadata: Metadata = { title: "Decision record" };

const link = "text-accent hover:underline";

export default async function DecisionRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const person = await requirePage("audit.view", { path: `/audit/decisions/${encodeURIComponent(id)}` });
  const record = await getDecisionRecord(person, id);
  if (!record) notFound();
  const now = new Date();
  const lineage: Array<[string, ReactNode]> = [];
  if (record.parent) {
    lineage.push(["Made for", <Link key="p" href={`/audit/decisions/${record.parent.id}`} className={link}>{`${record.parent.agentSlug}: ${record.parent.action}`}</Link>]);
  }
  if (record.children.length) {
    lineage.push([
      "Led to",
      <ul key="c">
        {record.children.map((child) => (
          <li key={child.id}>
            <Link href={`/audit/decisions/${child.id}`} className={link}>{`${child.agentSlug}: ${child.action}`}</Link> <EffectBadge effect={child.effect} />
          </li>
        ))}
      </ul>,
    ]);
  }
  const considered = Array.isArray(record.considered) ? record.considered.map((option) => (typeof option === "string" ? option : JSON.stringify(option))) : null;

  return (
    <>
      <PageHeader
        title={`Decision: ${record.action}`}
        description={
          <>
            <Link href={`/agents/${record.agent.slug}`} className={link}>
              {record.agent.name}
            </Link>{" "}
            asked <RelativeTime date={record.createdAt} now={now} /> ({formatAbsolute(record.createdAt)}); the answer was <EffectBadge effect={record.effect} />
          </>
        }
      >
        <nav aria-label="Related" className="flex flex-wrap gap-3 text-sm">
          {record.traceId ? (
            <Link href={`/audit/traces/${encodeURIComponent(record.traceId)}`} className={`${link} font-medium`}>
              Trace view
            </Link>
          ) : null}
          <Link href={`/audit?agent=${encodeURIComponent(record.agent.slug)}`} className={`${link} font-medium`}>
            All of this agent&apos;s events
          </Link>
        </nav>
      </PageHeader>

      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Reasoning" id="reasoning">
          <Facts
            items={[
              ["Instruction", <blockquote key="i" className="border-l-2 border-line pl-3 italic">{record.instruction}</blockquote>],
              [
                "Considered",
                considered && considered.length ? (
                  <ol key="c" className="list-decimal pl-5">
                    {considered.map((option, index) => (
                      <li key={index}>{option}</li>
                    ))}
                  </ol>
                ) : (
                  <span className="text-muted">Not recorded</span>
                ),
              ],
              ["Chosen", record.chosen ?? <span className="text-muted">Not recorded</span>],
              ["Why", record.rationale ?? <span className="text-muted">Not recorded</span>],
              ["On behalf of", record.onBehalfOf ?? <span className="text-muted">—</span>],
            ]}
          />
        </Section>

        <Section title="Which rule decided" id="rule">
          <RuleFacts record={record} />
        </Section>

        <Section title="Request" id="request">
          <Facts
            items={[
              ["Action", <span key="a" className="font-mono">{record.action}</span>],
              ["Resource", record.resource ? <span className="font-mono">{record.resource}</span> : <span className="text-muted">—</span>],
              ["Key", record.credential ? `${record.credential.label} (${record.credential.prefix}…)` : <span className="text-muted">—</span>],
              ["Decided in", formatLatency(record.latencyMicros)],
              ["Decision id", <span key="d" className="font-mono text-xs">{record.id}</span>],
            ]}
          />
          <h3 className="mb-1 mt-3 text-xs font-semibold uppercase tracking-wide text-muted">Parameters</h3>
          <JsonBlock value={record.params} label="Parameters" />
        </Section>

        <Section title="Delegation chain" id="chain">
          {record.delegationChain.length ? (
            <ol className="flex flex-wrap items-center gap-1 text-sm" aria-label="From the root agent to this one">
              {record.delegationChain.map((hop, index) => (
                <li key={`${hop.agentId}-${index}`} className="flex items-center gap-1">
                  {index > 0 ? <span aria-hidden="true" className="text-muted">→</span> : null}
                  <Link href={`/agents/${hop.agentSlug}`} className={link} title={hop.delegationId ? `delegation ${hop.delegationId}` : "root"}>
                    {hop.agentName ?? hop.agentSlug}
                  </Link>
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-muted">The agent acted on its own behalf (no delegation).</p>
          )}
          {lineage.length ? <Facts items={lineage} /> : null}
        </Section>

        <CheckpointSection record={record} now={now} />

        <Section title="Reported outcome" id="outcome">
          {record.outcome ? (
            <>
              <Facts
                items={[
                  ["Status", record.outcome.status],
                  ["Summary", record.outcome.summary ?? <span className="text-muted">—</span>],
                  ["Reported", record.outcome.at ? <RelativeTime date={record.outcome.at} now={now} /> : <span className="text-muted">—</span>],
                ]}
              />
              {record.outcome.data ? <JsonBlock value={record.outcome.data} label="Outcome data" /> : null}
            </>
          ) : (
            <p className="text-muted">{record.effect === "deny" ? "Denied: there is nothing to report." : "The agent has not reported an outcome."}</p>
          )}
        </Section>
      </div>

      <section aria-labelledby="events" className="mt-6">
        <h2 id="events" className="mb-2 text-sm font-semibold">
          Audit events for this decision
        </h2>
        {record.events.length ? (
          <AuditEventsTable events={record.events} now={now} caption="Audit events about this decision and its checkpoint, oldest first" />
        ) : (
          <p className="text-muted">No audit events name this decision.</p>
        )}
      </section>
    </>
  );
}
