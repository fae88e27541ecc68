import type { Metadata } from "next";
import Link from "next/link";
import Form from "next/form";
import { requirePage } from "@/lib/auth/guard";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { listAgentOptions } from "@/lib/agents/list-agent-options";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, Td, Th } from "@/components/ui/table";
import { firstValues, type RawSearchParams } from "../search-params";

export const metadata: Metadata = { title: "Audit" };

const field = "rounded border border-line bg-surface px-2 py-1.5 text-sm text-fg";

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePage("audit.view", { path: "/audit" });
  const now = new Date();
  const [{ events, filters }, agents] = await Promise.all([listAuditEvents(firstValues(await searchParams)), listAgentOptions()]);
  const filtered = Boolean(filters.agent || filters.type);

  return (
    <>
      <PageHeader title="Audit" description="The newest 100 events, by people and by agents. The trail is append-only." />
      <Form action="/audit" role="search" aria-label="Filter audit events" className="mb-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Agent
          <select name="agent" defaultValue={filters.agent ?? ""} className={field}>
            <option value="">Any agent</option>
            {agents.map((agent) => (
              <option key={agent.slug} value={agent.slug}>
                {agent.name} ({agent.slug})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Event type
          <input name="type" defaultValue={filters.type ?? ""} placeholder="e.g. agent.killed" className={`${field} w-56 font-mono`} />
        </label>
        <button type="submit" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white dark:text-gray-950">
          Apply
        </button>
        {filtered ? (
          <Link href="/audit" className="py-1.5 text-sm font-medium text-accent underline underline-offset-2">
            Clear filters
          </Link>
        ) : null}
      </Form>

      {events.length === 0 ? (
        filtered ? (
          <EmptyState title="No events match these filters">
            Check the event type spelling, or <Link href="/audit" className="text-accent underline">clear the filters</Link>.
          </EmptyState>
        ) : (
          <EmptyState title="The audit trail is empty">Every change people make and every agent decision is recorded here as it happens.</EmptyState>
        )
      ) : (
        <Table caption="Newest audit events">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Actor</Th>
              <Th>Event</Th>
              <Th>Agent</Th>
              <Th>Subject</Th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <Td>
                  <RelativeTime date={event.createdAt} now={now} />
                </Td>
                <Td>
                  <Badge tone={event.actorType === "agent" ? "violet" : event.actorType === "person" ? "blue" : "grey"}>{event.actorType}</Badge>{" "}
                  {event.actorLabel}
                </Td>
                <Td className="font-mono text-xs">{event.type}</Td>
                <Td>
                  {event.agent ? (
                    <Link href={`/agents/${event.agent.slug}`} className="text-accent hover:underline">
                      {event.agent.name}
                    </Link>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </Td>
                <Td className="font-mono text-xs">
                  {event.subjectType ? `${event.subjectType}${event.subjectId ? ` ${event.subjectId}` : ""}` : <span className="text-muted">—</span>}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
