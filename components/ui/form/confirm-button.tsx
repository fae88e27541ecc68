"use client";
// A consequential one-click change (delete, disable, revoke, reset) asked twice: the first click
// only shows what will happen, with the real button and a way back. Refusals show beside it.
import { useState, type ReactNode } from "react";
import type { FormState } from "@/lib/auth/action";
import { Button } from "./buttons";
import { FormMessage } from "./form-message";
import { useConsoleForm, type ConsoleFormAction } from "./use-console-form";

interface Props<T> {
  action: ConsoleFormAction<T>;
  /** Hidden fields identifying what the action applies to. */
  fields: Record<string, string>;
  label: string;
  /** Accessible name of the first button when the label alone is ambiguous in a table. */
  ariaLabel?: string;
  question: ReactNode;
  confirmLabel: string;
  /** What the first button says while the server works. */
  pendingLabel?: string;
  /** "caution" for steps that cannot be undone (revoking keys). */
  tone?: "primary" | "caution";
  /** More fields for the confirmation, such as an optional reason for the audit. */
  children?: ReactNode;
  /** What a success leaves on screen (a one-time password); by default the page's change says it all. */
  result?: (state: FormState<T>) => ReactNode;
}

export function ConfirmButton<T>({ action, fields, label, ariaLabel, question, confirmLabel, pendingLabel = "Working…", tone = "primary", children, result }: Props<T>) {
  const [asking, setAsking] = useState(false);
  const { state, pending, onSubmit } = useConsoleForm(action);

  if (!asking) {
    return (
      <div className="flex flex-col gap-1">
        <Button size="sm" aria-label={ariaLabel} disabled={pending} onClick={() => setAsking(true)}>
          {pending ? pendingLabel : label}
        </Button>
        <FormMessage state={state.ok ? { ok: true } : state} />
        {result ? result(state) : null}
      </div>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        onSubmit(event);
        setAsking(false);
      }}
      className={`flex flex-col gap-1 rounded-md border bg-surface p-2 ${tone === "caution" ? "border-amber-500/60" : "border-line"}`}
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="text-xs">{question}</p>
      {children}
      <div className="flex gap-1.5">
        <Button type="submit" size="sm" variant={tone} disabled={pending}>
          {confirmLabel}
        </Button>
        <Button size="sm" onClick={() => setAsking(false)} autoFocus>
          Cancel
        </Button>
      </div>
    </form>
  );
}
