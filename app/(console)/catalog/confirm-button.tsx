"use client";
// A consequential one-click change (delete, disable, enable) asked twice: the first click only
// shows what will happen, with the real button and a way back. Refusals show beside it.
import { useState } from "react";
import { FormMessage } from "./form-kit";
import { useConsoleForm, type ConsoleFormAction } from "./use-console-form";

interface Props {
  action: ConsoleFormAction<unknown>;
  /** Hidden fields identifying what the action applies to. */
  fields: Record<string, string>;
  label: string;
  /** Accessible name of the first button when the label alone is ambiguous in a table. */
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
}

export function ConfirmButton({ action, fields, label, ariaLabel, question, confirmLabel }: Props) {
  const [asking, setAsking] = useState(false);
  const { state, pending, formRef, onSubmit } = useConsoleForm(action);
  const buttonClass = "rounded-md border border-line bg-surface px-2 py-0.5 text-xs font-medium text-fg hover:bg-surface-2 disabled:opacity-60";

  if (!asking) {
    return (
      <div className="flex flex-col gap-1">
        <button type="button" aria-label={ariaLabel} disabled={pending} onClick={() => setAsking(true)} className={buttonClass}>
          {pending ? "Working…" : label}
        </button>
        {!state.ok ? <FormMessage state={state} /> : null}
      </div>
    );
  }
  return (
    <form
      ref={formRef}
      onSubmit={(event) => {
        onSubmit(event);
        setAsking(false);
      }}
      className="flex flex-col gap-1 rounded-md border border-line bg-surface p-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="text-xs">{question}</p>
      <div className="flex gap-1.5">
        <button type="submit" disabled={pending} className="rounded-md bg-accent px-2 py-0.5 text-xs font-medium text-white disabled:opacity-60 dark:text-bg">
          {confirmLabel}
        </button>
        <button type="button" onClick={() => setAsking(false)} className={buttonClass} autoFocus>
          Cancel
        </button>
      </div>
    </form>
  );
}
