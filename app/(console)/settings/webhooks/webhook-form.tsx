"use client";
// Add or edit a webhook: receiver URL, events, format, and whether parameters and reasoning go
// out. Adding also takes an optional secret (blank: one is generated) shown once afterwards.
import Link from "next/link";
import { useId } from "react";
import { CheckboxGroup, errorUnder, FieldError, FormMessage, SelectField, SubmitButton, TextField, useConsoleForm, type ConsoleFormAction } from "@/components/ui/form";
import { WEBHOOK_EVENT_GROUPS, WEBHOOK_EVENT_LABELS } from "@/lib/webhooks/webhook-events";
import { addWebhook, saveWebhook } from "./actions";
import { SecretOnce } from "./secret-once";

export interface WebhookValues {
  id: string;
  name: string;
  url: string;
  events: string[];
  format: "mandate" | "slack";
  includeParams: boolean;
}

export function WebhookForm({ webhook }: { webhook?: WebhookValues }) {
  const editing = Boolean(webhook);
  // One form for both: the edit action returns no data, so its state is read as the add action's.
  const action = (editing ? saveWebhook : addWebhook) as ConsoleFormAction<{ id: string; secret: string }>;
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(action, { resetOnSuccess: !editing });
  const created = !editing && state.ok ? state.data : undefined;
  const eventsError = errorUnder(errors, "events");
  const eventsErrorId = `${useId()}-events-error`;
  return (
    <div className="flex flex-col gap-3">
      <form ref={formRef} onSubmit={onSubmit} aria-label={editing ? "Edit webhook" : "Add a webhook"} className="flex flex-col gap-2">
        {webhook ? <input type="hidden" name="id" value={webhook.id} /> : null}
        <div className="grid gap-2 sm:grid-cols-2">
          <TextField label="Name" name="name" error={errors.name} required defaultValue={webhook?.name} placeholder="#approvals in Slack" autoComplete="off" />
          <TextField
            label="Receiver URL"
            name="url"
            type="url"
            error={errors.url}
            required
            defaultValue={webhook?.url}
            placeholder="https://hooks.example.com/mandate"
            spellCheck={false}
            hint="http or https. Link-local and metadata addresses are refused; redirects are not followed."
          />
        </div>
        {/* One checkbox name across the groups: the action receives a single list of events. */}
        <fieldset aria-describedby={eventsError ? eventsErrorId : undefined} className="flex flex-col gap-2">
          <legend className="mb-1 text-xs font-medium">Send when</legend>
          {WEBHOOK_EVENT_GROUPS.map((group) => (
            <CheckboxGroup
              key={group.label}
              legend={group.label}
              name="events"
              options={group.events.map((event) => ({ value: event, label: WEBHOOK_EVENT_LABELS[event] }))}
              defaultValue={webhook?.events ?? ["checkpoint.created", "checkpoint.decided", "checkpoint.expired"]}
              className="rounded-md border border-line p-2"
            />
          ))}
          <FieldError id={eventsErrorId} message={eventsError} />
        </fieldset>
        <div className="grid gap-2 sm:grid-cols-2">
          <SelectField label="Format" name="format" defaultValue={webhook?.format ?? "mandate"} error={errors.format} hint="Slack: only a text line, for an incoming-webhook URL.">
            <option value="mandate">Mandate JSON (with a Slack-style text field)</option>
            <option value="slack">Slack text only</option>
          </SelectField>
          {editing ? null : (
            <TextField
              label="Signing secret (optional)"
              name="secret"
              error={errors.secret}
              autoComplete="off"
              spellCheck={false}
              hint="Leave blank to generate one. Either way it is shown once."
            />
          )}
        </div>
        <label className="flex items-start gap-2 text-xs">
          <input type="checkbox" name="includeParams" defaultChecked={webhook?.includeParams ?? false} />
          <span>
            Include the exact parameters, the agent&apos;s reasoning and the on-behalf-of user. Off by default: they may hold personal or commercial data the
            receiving channel should not see.
          </span>
        </label>
        <div className="flex items-center gap-3">
          <SubmitButton pending={pending} pendingLabel="Saving…" size="sm">
            {editing ? "Save webhook" : "Add webhook"}
          </SubmitButton>
          <FormMessage state={state} />
        </div>
      </form>
      {created ? (
        <div className="flex flex-col gap-1">
          <SecretOnce key={created.secret} secret={created.secret} />
          <Link href={`/settings/webhooks/${created.id}`} className="text-xs text-accent underline">
            Open the webhook and send a test delivery
          </Link>
        </div>
      ) : null}
    </div>
  );
}
