import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { getAuditEvent } from "@/lib/audit/get-audit-event";
import { showValue } from "@/lib/audit/summarize-event";
import { Facts, Section } from "@/components/audit/facts";
import { JsonBlock } from "@/components/audit/json-block";
import { VerdictBadge } from "@/components/audit/verdict-badge";
import { formatAbsolute } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, Td, Th } from "@/components/ui/table";

export const metadata: Metadata = { title: "Audit event" };

const link = "text-accent hover:underline";
const none = <span className="text-muted">—</span>;

export default async function AuditEventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const person = await requirePage("audit.view", { path: `/audit/events/${encodeURIComponent(id)}` });
  const event = await getAuditEvent(person, id);
  if (!event) notFound();
  const now = new Date();

  return (
    <>
      <PageHeader title={`Event #${event.id}: ${event.type}`} description={event.summary}>
        <nav aria-label="Related" className="flex flex-wrap gap-3 text-sm font-medium">
          {event.decisionId ? (
            <Link href={`/audit/decisions/${event.decisionId}?event=${event.id}`} className={link}>
              Decision record
            </Link>
          ) : null}
          {event.traceId ? (
            <Link href={`/audit/traces/${encodeURIComponent(event.traceId)}`} className={link}>
              Trace view
            </Link>
          ) : null}
          <Link href="/audit" className={link}>
            Back to the trail
          </Link>
        </nav>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Who and when" id="who">
          <Facts
            items={[
              ["When", <span key="w"><RelativeTime date={event.createdAt} now={now} /> ({formatAbsolute(event.createdAt)})</span>],
              ["Actor", `${event.actorType}: ${event.actorLabel}${event.actorEmail ? ` (${event.actorEmail})` : ""}`],
              ["Agent", event.agent ? <Link key="a" href={`/agents/${event.agent.slug}`} className={link}>{event.agent.name}</Link> : none],
              ["Request id", event.requestId ? <span className="font-mono text-xs">{event.requestId}</span> : none],
              ["IP", event.ip ?? none],
              ["User agent", event.userAgent ? <span className="text-xs">{event.userAgent}</span> : none],
            ]}
          />
        </Section>
        <Section title="What" id="what">
          <Facts
            items={[
              ["Type", <span key="t" className="font-mono">{event.type}</span>],
              ["Subject", event.subjectType ? <span className="font-mono text-xs">{`${event.subjectType} ${event.subjectId ?? ""}`}</span> : none],
              ["Effect", <VerdictBadge key="v" verdict={event.verdict} />],
              ["Trace", event.traceId ? <span className="font-mono text-xs">{event.traceId}</span> : none],
              ["Parent", event.parentId ? <span className="font-mono text-xs">{event.parentId}</span> : none],
              [
                "Chain",
                event.seq ? (
                  <span className="font-mono text-xs">
                    seq {event.seq}, hash {event.hash?.slice(0, 16)}…, after {event.prevHash?.slice(0, 16)}…
                  </span>
                ) : (
                  <span className="text-muted">Not sealed yet (the sealer chains new events within about a second).</span>
                ),
              ],
            ]}
          />
        </Section>
      </div>

      {event.changes ? (
        <section aria-labelledby="change" className="mt-4">
          <h2 id="change" className="mb-2 text-sm font-semibold">
            Change
          </h2>
          {event.changes.length ? (
            <Table caption="Fields that changed, before and after">
              <thead>
                <tr>
                  <Th>Field</Th>
                  <Th>Before</Th>
                  <Th>After</Th>
                </tr>
              </thead>
              <tbody>
                {event.changes.map((change) => (
                  <tr key={change.key}>
                    <Td className="font-mono text-xs">{change.key}</Td>
                    <Td className="font-mono text-xs">{showValue(change.before)}</Td>
                    <Td className="font-mono text-xs">{showValue(change.after)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="text-muted">Before and after are the same.</p>
          )}
        </section>
      ) : null}

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Section title="Data" id="data">
          <JsonBlock value={event.data} label="Event data" />
        </Section>
        <Section title="Reasoning" id="event-reasoning">
          <JsonBlock value={event.reasoning} label="Reasoning" />
        </Section>
      </div>
    </>
  );
}
