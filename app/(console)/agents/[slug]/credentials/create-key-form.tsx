"use client";
// Issues a key and shows it once. The key lives only in this component's state: a reload, or
// "I have saved it", and it is gone for good (the database keeps only its hash).
import { useState } from "react";
import { Button, FieldError, FormMessage, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { createKey } from "./actions";

type Created = { key: string; prefix: string };

export function CreateKeyForm({ agentId, maxDate }: { agentId: string; maxDate: string }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm<Created>(createKey, { resetOnSuccess: true });
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state.ok && state.data && dismissed !== state.data.key ? state.data : null;

  return (
    <div className="mb-4 rounded-md border border-line bg-surface p-3">
      <h3 className="mb-2 text-sm font-semibold">Create a key</h3>
      {created ? <NewKey created={created} onDone={() => setDismissed(created.key)} /> : null}
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <input type="hidden" name="agentId" value={agentId} />
        <TextField
          id="key-label"
          label="Label"
          name="label"
          error={errors.label}
          required
          maxLength={100}
          placeholder="production, rotation 2025-06…"
          wrapperClassName="w-64"
        />
        <TextField
          id="key-expires"
          label="Expires on (optional, UTC)"
          name="expiresAt"
          type="date"
          max={maxDate}
          error={errors.expiresAt}
          hint="At most two years; empty means no expiry."
        />
        <SubmitButton pending={pending} pendingLabel="Creating…">
          Create key
        </SubmitButton>
      </form>
      {/* A new key is announced by its own box, so only refusals are said here. */}
      <FormMessage state={state.ok ? { ok: true } : state} className="mt-2" />
      <FieldError message={errors.agentId} className="mt-1" />
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
        <Button onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <Button onClick={onDone}>
          I have saved it
        </Button>
      </div>
      {copied === "failed" ? <p className="mt-1 text-xs">Copying was blocked by the browser; select the key and copy it by hand.</p> : null}
    </div>
  );
}
