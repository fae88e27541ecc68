"use client";
// Issues a key and shows it once. The key lives only in this component's state: a reload, or
// "I have saved it", and it is gone for good (the database keeps only its hash).
import { useActionState, useState } from "react";
import type { FormState } from "@/lib/auth/action";
import { createKey } from "./actions";
import { FieldError, FormMessage, fieldClass, primaryButton, secondaryButton } from "./form-bits";

type Created = { key: string; prefix: string };

export function CreateKeyForm({ agentId, maxDate }: { agentId: string; maxDate: string }) {
  const [state, action, pending] = useActionState<FormState<Created>, FormData>(createKey, { ok: false });
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state.ok && state.data && dismissed !== state.data.key ? state.data : null;
  const errors = state.fieldErrors ?? {};

  return (
    <div className="mb-4 rounded-md border border-line bg-surface p-3">
      <h3 className="mb-2 text-sm font-semibold">Create a key</h3>
      {created ? <NewKey created={created} onDone={() => setDismissed(created.key)} /> : null}
      <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
        <input type="hidden" name="agentId" value={agentId} />
        <div className="flex flex-col gap-1">
          <label htmlFor="key-label" className="text-xs font-medium text-muted">
            Label
          </label>
          <input
            id="key-label"
            name="label"
            required
            maxLength={100}
            placeholder="production, rotation 2025-06…"
            aria-invalid={errors.label ? true : undefined}
            aria-describedby={errors.label ? "key-label-error" : undefined}
            className={`${fieldClass} w-64`}
          />
          <FieldError id="key-label-error" message={errors.label} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="key-expires" className="text-xs font-medium text-muted">
            Expires on (optional, UTC)
          </label>
          <input
            id="key-expires"
            name="expiresAt"
            type="date"
            max={maxDate}
            aria-invalid={errors.expiresAt ? true : undefined}
            aria-describedby={errors.expiresAt ? "key-expires-error" : "key-expires-hint"}
            className={fieldClass}
          />
          <FieldError id="key-expires-error" message={errors.expiresAt} />
          {errors.expiresAt ? null : (
            <span id="key-expires-hint" className="text-xs text-muted">
              At most two years; empty means no expiry.
            </span>
          )}
        </div>
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Creating…" : "Create key"}
        </button>
      </form>
      {!state.ok && state.message ? <FormMessage ok={false} message={state.message} /> : null}
      {errors.agentId ? <FormMessage ok={false} message={errors.agentId} /> : null}
    </div>
  );
}

function NewKey({ created, onDone }: { created: Created; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <div
      role="status"
      data-testid="new-key"
      className="mb-3 rounded-md border-2 border-amber-500/70 bg-amber-50 p-3 dark:bg-amber-500/10"
    >
      <p className="font-semibold">Copy this key now: it will not be shown again.</p>
      <p className="mt-0.5 text-xs text-muted">
        Mandate keeps only a hash of it. Store it in your secret manager; if it is lost, create another key and revoke this one
        ({created.prefix}).
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="new-key-value" className="select-all break-all rounded border border-line bg-surface px-2 py-1 font-mono text-xs">
          {created.key}
        </code>
        <button type="button" onClick={copy} className={secondaryButton}>
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={onDone} className={secondaryButton}>
          I have saved it
        </button>
      </div>
      {copied === "failed" ? <p className="mt-1 text-xs">Copying was blocked by the browser; select the key and copy it by hand.</p> : null}
    </div>
  );
}
