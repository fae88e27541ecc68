"use client";
// The console's small form vocabulary: labelled fields with their error announced and linked
// (aria-invalid / aria-describedby), a form-level message, and a submit button.
import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import type { FormState } from "@/lib/auth/action";

export const inputClass =
  "w-full rounded-md border border-line bg-bg px-2 py-1 text-sm text-fg aria-[invalid=true]:border-red-600 disabled:opacity-60";

interface FieldProps {
  label: string;
  name: string;
  state: FormState<unknown>;
  hint?: ReactNode;
  /** The key of this field's error when it differs from its name (e.g. "target"). */
  errorKey?: string;
  className?: string;
}

function useFieldIds(name: string) {
  const base = useId();
  return { id: `${base}-${name}`, hintId: `${base}-${name}-hint`, errorId: `${base}-${name}-error` };
}

function Described({ hint, hintId, error, errorId }: { hint?: ReactNode; hintId: string; error?: string; errorId: string }) {
  return (
    <>
      {hint ? (
        <span id={hintId} className="text-xs text-muted">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="text-xs font-medium text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </>
  );
}

function describedBy(hint: ReactNode, hintId: string, error: string | undefined, errorId: string): string | undefined {
  return [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
}

export function TextField({ label, name, state, hint, errorKey, className = "", ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const { id, hintId, errorId } = useFieldIds(name);
  const error = state.fieldErrors?.[errorKey ?? name];
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint, hintId, error, errorId)}
        className={inputClass}
        {...input}
      />
      <Described hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  state,
  hint,
  errorKey,
  className = "",
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const { id, hintId, errorId } = useFieldIds(name);
  const error = state.fieldErrors?.[errorKey ?? name];
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint, hintId, error, errorId)}
        className={inputClass}
        {...select}
      >
        {children}
      </select>
      <Described hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/** The form's own message: an alert for a refusal, a polite status for a success. */
export function FormMessage({ state }: { state: FormState<unknown> }) {
  if (!state.message) return <span role="status" className="sr-only" />;
  return state.ok ? (
    <p role="status" className="text-xs text-green-800 dark:text-green-300">
      {state.message}
    </p>
  ) : (
    <p role="alert" className="rounded border border-red-600/40 bg-red-50 px-2 py-1 text-xs text-red-800 dark:bg-red-500/10 dark:text-red-300">
      {state.message}
    </p>
  );
}

interface SubmitProps {
  pending: boolean;
  children: ReactNode;
  pendingText?: string;
  /** "quiet" for buttons repeated on every row of a table. */
  variant?: "primary" | "quiet";
}

const SUBMIT_CLASS = {
  primary: "bg-accent text-white hover:opacity-90 dark:text-bg",
  quiet: "border border-line bg-surface text-fg hover:bg-surface-2",
};

export function SubmitButton({ pending, children, pendingText = "Saving…", variant = "primary" }: SubmitProps) {
  return (
    <button type="submit" disabled={pending} className={`rounded-md px-2.5 py-1 text-xs font-medium disabled:opacity-60 ${SUBMIT_CLASS[variant]}`}>
      {pending ? pendingText : children}
    </button>
  );
}

export function SecondaryButton({ children, ...button }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      className="rounded-md border border-line bg-surface px-2.5 py-1 text-xs font-medium text-fg hover:bg-surface-2 disabled:opacity-60"
      {...button}
    >
      {children}
    </button>
  );
}
