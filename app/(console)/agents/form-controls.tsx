// The agent pages' form pieces: one labelled field with its inline error wired for screen
// readers, and the few button and message styles the wizard and the overview share.
import type { ReactNode } from "react";

export const fieldClass = "rounded border border-line bg-bg px-2 py-1.5 text-sm text-fg";
export const primaryButton = "rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:opacity-90 disabled:opacity-60 dark:text-gray-950";
export const secondaryButton = "rounded border border-line bg-surface px-3 py-1.5 text-sm font-medium text-fg hover:bg-surface-2 disabled:opacity-60";
/** For final, serious steps (retire). Red stays reserved for kills and denials. */
export const cautionButton = "rounded bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700 disabled:opacity-60 dark:bg-amber-500 dark:text-gray-950";

/** Props an input needs so its error (or hint) is announced with it. */
export function describedBy(id: string, error?: string, hasHint = true): { "aria-invalid"?: true; "aria-describedby"?: string } {
  if (error) return { "aria-invalid": true, "aria-describedby": `${id}-error` };
  return hasHint ? { "aria-describedby": `${id}-hint` } : {};
}

export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {error ? (
        <span id={`${id}-error`} className="text-xs text-amber-800 dark:text-amber-300">
          {error}
        </span>
      ) : hint ? (
        <span id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <span id={id} className="text-xs text-amber-800 dark:text-amber-300">
      {message}
    </span>
  );
}

export function FormMessage({ ok, message }: { ok: boolean; message?: string }) {
  if (!message) return null;
  return (
    <p role={ok ? "status" : "alert"} className={`mt-2 text-sm ${ok ? "text-green-800 dark:text-green-300" : "text-amber-800 dark:text-amber-300"}`}>
      {message}
    </p>
  );
}
