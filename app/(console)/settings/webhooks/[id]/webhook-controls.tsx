"use client";
// Send a test delivery, rotate the signing secret (the new one is shown once), switch the webhook
// off or on, or delete it (then back to the list); each asked twice.
import { Button, ConfirmButton, FormMessage, useConsoleForm } from "@/components/ui/form";
import { removeWebhook, rotateSecret, sendTest, switchWebhook } from "../actions";
import { SecretOnce } from "../secret-once";

export function WebhookControls({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const test = useConsoleForm(sendTest);
  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={test.onSubmit} aria-label="Send a test delivery" className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="id" value={id} />
        <Button type="submit" size="sm" disabled={test.pending || !enabled}>
          {test.pending ? "Queuing…" : "Send a test delivery"}
        </Button>
        <FormMessage state={test.state} />
      </form>
      <div className="flex flex-wrap gap-2">
        <ConfirmButton
          action={rotateSecret}
          fields={{ id }}
          label="Rotate secret"
          question="Replace the signing secret? Deliveries from now on are signed with the new one; update the receiver at once."
          confirmLabel="Rotate secret"
          tone="caution"
          result={(state) => {
            const data = state.ok ? (state.data as { secret?: string } | undefined) : undefined;
            return data?.secret ? <SecretOnce key={data.secret} secret={data.secret} /> : null;
          }}
        />
        <ConfirmButton
          action={switchWebhook}
          fields={{ id, enabled: String(!enabled) }}
          label={enabled ? "Switch off" : "Switch on"}
          ariaLabel={`${enabled ? "Switch off" : "Switch on"} ${name}`}
          question={enabled ? "Switch this webhook off? Deliveries still queued are dropped." : "Switch this webhook on? It hears events from now on."}
          confirmLabel={enabled ? "Switch off" : "Switch on"}
        />
        <ConfirmButton
          action={removeWebhook}
          fields={{ id }}
          label="Delete"
          ariaLabel={`Delete ${name}`}
          question="Delete this webhook and its delivery log? The audit keeps the record of it."
          confirmLabel="Delete webhook"
          tone="caution"
        />
      </div>
    </div>
  );
}
