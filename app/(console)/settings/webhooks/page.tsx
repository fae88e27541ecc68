import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/webhook-events";
import { AddPanel } from "@/components/ui/add-panel";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { WebhookForm } from "./webhook-form";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const person = await requirePage("webhooks.manage", { path: "/settings/webhooks" });
  const now = new Date();
  const webhooks = await listWebhooks(person, now);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Tell other systems (Slack, a ticket queue, an on-call tool) when a checkpoint waits, is decided or expires, when an agent or every agent is stopped or brought back, when a capability is switched off, when a kill drill goes unanswered, and when a senior agent acts without approval. Deliveries are signed, retried with backoff, and sent in the background: they never slow a decision, a kill or the inbox."
      />
      <AddPanel label="Add a webhook">
        <WebhookForm />
      </AddPanel>
      {webhooks.length === 0 ? (
        <EmptyState title="No webhooks yet">Add one above; each delivery is signed with its own secret, shown to you once.</EmptyState>
      ) : (
        <Table caption="Outgoing webhooks">
          <thead>
            <tr>
              <Th>Webhook</Th>
              <Th>Events</Th>
              <Th>State</Th>
              <Th>Last delivery</Th>
              <Th className="text-right">Queued</Th>
              <Th className="text-right">Failed (24 h)</Th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr key={webhook.id}>
                <RowTh>
                  <Link href={`/settings/webhooks/${webhook.id}`} className="text-accent hover:underline">
                    {webhook.name}
                  </Link>
                  <div className="max-w-xs truncate font-mono text-xs font-normal text-muted" title={webhook.url}>
                    {webhook.url}
                  </div>
                </RowTh>
                <Td className="text-xs">
                  {webhook.events.map((event) => WEBHOOK_EVENT_LABELS[event as WebhookEvent] ?? event).join("; ")}
                  <div className="mt-1 flex gap-1">
                    <Badge tone="grey">{webhook.format === "slack" ? "Slack text" : "JSON"}</Badge>
                    {webhook.includeParams ? <Badge tone="amber">with parameters</Badge> : null}
                  </div>
                </Td>
                <Td>{webhook.enabled ? <Badge tone="green">on</Badge> : <Badge tone="grey">off</Badge>}</Td>
                <Td className="text-xs">
                  {webhook.lastDelivery ? (
                    <>
                      <Badge tone={webhook.lastDelivery.status === "succeeded" ? "green" : webhook.lastDelivery.status === "failed" ? "amber" : "blue"}>
                        {webhook.lastDelivery.status}
                      </Badge>{" "}
                      <RelativeTime date={webhook.lastDelivery.at} now={now} />
                    </>
                  ) : (
                    <span className="text-muted">none yet</span>
                  )}
                </Td>
                <Td className="text-right tabular-nums">{webhook.pending}</Td>
                <Td className="text-right tabular-nums">{webhook.failedLastDay}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <p className="mt-4 max-w-3xl text-xs text-muted">
        Receivers verify <code>Mandate-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: the HMAC-SHA256 of <code>&lt;t&gt;.&lt;raw body&gt;</code> with the
        webhook&apos;s secret, refusing a <code>t</code> older than five minutes (replays). Each delivery carries <code>Mandate-Event</code>,{" "}
        <code>Mandate-Delivery</code> (the same on every retry, for de-duplication) and <code>Mandate-Attempt</code>. Only http and https URLs are accepted;
        deliveries never connect to link-local (cloud metadata), unspecified, multicast or broadcast addresses, never follow redirects, and never store what the
        receiver answers. Set <code>MANDATE_WEBHOOK_ALLOW_PRIVATE=0</code> to refuse loopback and private networks too.
      </p>
    </>
  );
}
