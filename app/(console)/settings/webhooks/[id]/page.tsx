import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { getWebhookWithLog } from "@/lib/webhooks/list-webhooks";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { WebhookForm } from "../webhook-form";
import { DeliveryLog } from "./delivery-log";
import { WebhookControls } from "./webhook-controls";

export const metadata: Metadata = { title: "Webhook" };

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const person = await requirePage("webhooks.manage", { path: `/settings/webhooks/${id}` });
  const found = await getWebhookWithLog(person, id);
  if (!found) notFound();
  const { webhook, deliveries } = found;
  return (
    <>
      <p className="mb-2 text-xs">
        <Link href="/settings/webhooks" className="text-accent underline">
          ← Webhooks
        </Link>
      </p>
      <PageHeader title={webhook.name} description={<span className="font-mono text-xs">{webhook.url}</span>}>
        {webhook.enabled ? <Badge tone="green">on</Badge> : <Badge tone="grey">off</Badge>}
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="settings-heading" className="rounded-md border border-line bg-surface p-3">
          <h2 id="settings-heading" className="mb-2 text-sm font-semibold">
            Settings
          </h2>
          <WebhookForm
            webhook={{ id: webhook.id, name: webhook.name, url: webhook.url, events: webhook.events, format: webhook.format, includeParams: webhook.includeParams }}
          />
        </section>
        <section aria-labelledby="controls-heading" className="rounded-md border border-line bg-surface p-3">
          <h2 id="controls-heading" className="mb-2 text-sm font-semibold">
            Secret, test and state
          </h2>
          <p className="mb-2 text-xs text-muted">
            The current signing secret ends in <code className="font-mono">…{webhook.secretHint}</code>.
          </p>
          <WebhookControls id={webhook.id} name={webhook.name} enabled={webhook.enabled} />
        </section>
      </div>
      <section aria-labelledby="log-heading" className="mt-8">
        <h2 id="log-heading" className="mb-2 text-sm font-semibold">
          Delivery log
        </h2>
        <DeliveryLog deliveries={deliveries} />
      </section>
    </>
  );
}
