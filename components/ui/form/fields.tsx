// The console's labelled controls. Each links its hint and inline error to the control
// (aria-describedby, aria-invalid), so a screen reader reads the message with the field it is
// about rather than somewhere after the form. Values and handlers pass straight through, so the
// same fields serve server-action forms (name + defaultValue) and state-held ones (value + onChange).
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

const controlClass =
  "w-full rounded-md border border-line bg-bg px-2 py-1 text-sm text-fg aria-[invalid=true]:border-amber-600 disabled:opacity-60";

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** Set when something else refers to the control by id; otherwise one is generated. */
  id?: string;
  /** Classes for the wrapper (grid placement); `className` styles the control itself. */
  wrapperClassName?: string;
}

interface FieldIds {
  id: string;
  hintId: string;
  errorId: string;
}

function useFieldIds(id: string | undefined): FieldIds {
  const generated = useId();
  const base = id ?? generated;
  return { id: base, hintId: `${base}-hint`, errorId: `${base}-error` };
}

/** What the control needs so its hint and error are announced with it. */
function describe({ hintId, errorId }: FieldIds, hint: ReactNode, error: string | undefined) {
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy || undefined };
}

function Frame({ ids, label, hint, error, wrapperClassName, children }: FieldProps & { ids: FieldIds; children: ReactNode }) {
  return (
    <div className={`flex flex-col gap-1 ${wrapperClassName ?? ""}`}>
      <label htmlFor={ids.id} className="text-xs font-medium">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={ids.hintId} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      <FieldError id={ids.errorId} message={error} />
    </div>
  );
}

export function TextField({ label, hint, error, id, wrapperClassName, className = "", ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(id);
  return (
    <Frame ids={ids} label={label} hint={hint} error={error} wrapperClassName={wrapperClassName}>
      <input id={ids.id} className={`${controlClass} ${className}`} {...describe(ids, hint, error)} {...input} />
    </Frame>
  );
}

export function TextArea({ label, hint, error, id, wrapperClassName, className = "", ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ids = useFieldIds(id);
  return (
    <Frame ids={ids} label={label} hint={hint} error={error} wrapperClassName={wrapperClassName}>
      <textarea id={ids.id} className={`${controlClass} ${className}`} {...describe(ids, hint, error)} {...textarea} />
    </Frame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  id,
  wrapperClassName,
  className = "",
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const ids = useFieldIds(id);
  return (
    <Frame ids={ids} label={label} hint={hint} error={error} wrapperClassName={wrapperClassName}>
      <select id={ids.id} className={`${controlClass} ${className}`} {...describe(ids, hint, error)} {...select}>
        {children}
      </select>
    </Frame>
  );
}

/** An inline error on its own, for what no single control owns (a group, a whole line). */
export function FieldError({ id, message, className = "" }: { id?: string; message?: string; className?: string }) {
  if (!message) return null;
  return (
    <p id={id} className={`text-xs font-medium text-amber-800 dark:text-amber-300 ${className}`}>
      {message}
    </p>
  );
}

/** The error for `path`, or else the first one under it: "ownerIds.2" belongs to the owners group. */
export function errorUnder(errors: Record<string, string> | undefined, path: string): string | undefined {
  if (!errors) return undefined;
  return errors[path] ?? Object.entries(errors).find(([key]) => key.startsWith(`${path}.`))?.[1];
}
