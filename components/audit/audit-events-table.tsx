// The viewer's dense table: time (relative, exact on hover), actor, agent, event type, a one-line
// summary and the effect. Each row opens its decision record, or the event itself.
import Link from "next/link";
import type { AuditEventRow } from "@/lib/audit/list-audit-events";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, Td, Th } from "@/components/ui/table";
import { VerdictBadge } from "./verdict-badge";

export function eventHref(event: Pick<AuditEventRow, "id" | "decisionId">): string {
  return event.decisionId ? `/audit/decisions/${event.decisionId}?event=${event.id}` : `/audit/events/${event.id}`;
}

const ACTOR_TONE = { agent: "violet", person: "blue", system: "grey" } as const;

export function AuditEventsTable({ events, now, caption }: { events: AuditEventRow[]; now: Date; caption: string }) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Actor</Th>
          <Th>Agent</Th>
          <Th>Event</Th>
          <Th>Summary</Th>
          <Th>Effect</Th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id} className="hover:bg-surface-2" data-event-id={event.id}>
            <Td className="whitespace-nowrap text-xs">
              <RelativeTime date={event.createdAt} now={now} />
            </Td>
            <Td className="whitespace-nowrap">
              <Badge tone={ACTOR_TONE[event.actorType]}>{event.actorType}</Badge> <span className="text-xs">{event.actorLabel}</span>
            </Td>
            <Td className="whitespace-nowrap text-xs">
              {event.agent ? (
                <Link href={`/audit?agent=${encodeURIComponent(event.agent.slug)}`} className="text-accent hover:underline" title={`Only ${event.agent.name}'s events`}>
                  {event.agent.slug}
                </Link>
              ) : (
                <span className="text-muted">—</span>
              )}
            </Td>
            <Td className="whitespace-nowrap font-mono text-xs">
              <Link href={eventHref(event)} className="text-accent hover:underline">
                {event.type}
              </Link>
              {event.sealed ? null : (
                <span className="ml-1 text-muted" title="Not chained yet; the sealer adds it within about a second.">
                  ·&nbsp;unsealed
                </span>
              )}
            </Td>
            <Td className="max-w-xl text-xs">{event.summary}</Td>
            <Td>
              <VerdictBadge verdict={event.verdict} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
