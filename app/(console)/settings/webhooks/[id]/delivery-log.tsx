// A webhook's last 100 deliveries, newest first, each with every attempt: when, how long, what
// the receiver answered (status code) or what went wrong, and when the next try is due.
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatAbsolute } from "@/components/ui/format";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import type { DeliveryLogItem } from "@/lib/webhooks/list-webhooks";
import { WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/webhook-events";

const TONE = { succeeded: "green", failed: "amber", pending: "blue" } as const;

export function DeliveryLog({ deliveries }: { deliveries: DeliveryLogItem[] }) {
  if (deliveries.length === 0) {
    return <EmptyState title="Nothing delivered yet">Deliveries appear here as the events this webhook subscribes to happen, or when you send a test.</EmptyState>;
  }
  return (
    <Table caption="The last 100 deliveries, newest first, with every attempt">
      <thead>
        <tr>
          <Th>Event</Th>
          <Th>Status</Th>
          <Th>Attempts</Th>
          <Th>Next try</Th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.id}>
            <RowTh>
              <span className="font-mono text-xs">{delivery.event}</span>
              {delivery.event in WEBHOOK_EVENT_LABELS ? <div className="text-xs font-normal">{WEBHOOK_EVENT_LABELS[delivery.event as WebhookEvent]}</div> : null}
              <div className="text-xs font-normal text-muted">{formatAbsolute(delivery.createdAt)}</div>
              <div className="font-mono text-[11px] font-normal text-muted">{delivery.id}</div>
            </RowTh>
            <Td>
              <Badge tone={TONE[delivery.status]}>{delivery.status}</Badge>
              {delivery.status === "failed" && delivery.lastError ? <div className="mt-1 text-xs text-muted">{delivery.lastError}</div> : null}
            </Td>
            <Td>
              {delivery.attempts.length ? (
                <ol className="space-y-0.5 text-xs">
                  {delivery.attempts.map((attempt) => (
                    <li key={attempt.attempt}>
                      #{attempt.attempt} {formatAbsolute(attempt.startedAt)} · {attempt.durationMs} ms ·{" "}
                      {attempt.statusCode !== null ? <span className="font-mono">HTTP {attempt.statusCode}</span> : null}
                      {attempt.error ? <span className="text-amber-800 dark:text-amber-300"> {attempt.error}</span> : null}
                      {attempt.nextRetryAt ? <span className="text-muted"> · retry at {formatAbsolute(attempt.nextRetryAt)}</span> : null}
                    </li>
                  ))}
                </ol>
              ) : (
                <span className="text-xs text-muted">not tried yet</span>
              )}
            </Td>
            <Td className="text-xs">{delivery.status === "pending" && delivery.nextAttemptAt ? formatAbsolute(delivery.nextAttemptAt) : <span className="text-muted">–</span>}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
