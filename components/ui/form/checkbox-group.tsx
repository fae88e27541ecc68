// A set of checkboxes under one legend, with its hint and inline error linked to the group.
// Uncontrolled (name + defaultValue, for server-action forms) or controlled (value + onChange).
import { useId, type ReactNode } from "react";
import { FieldError } from "./fields";

export interface CheckboxOption {
  value: string;
  label: ReactNode;
  /** A longer explanation on hover (what a role may do). */
  title?: string;
}

interface Props {
  legend: ReactNode;
  /** Hide the legend visually where the surrounding row already names the group. */
  hideLegend?: boolean;
  options: readonly CheckboxOption[];
  name?: string;
  defaultValue?: readonly string[];
  value?: readonly string[];
  onChange?: (value: string, checked: boolean) => void;
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
  /** "inline" wraps a few short options on one line; "list" scrolls a long list (people). */
  layout?: "inline" | "list";
  /** Shown after the boxes, inside the group, so a disabled group disables it too. */
  children?: ReactNode;
  className?: string;
}

export function CheckboxGroup({ legend, hideLegend, options, name, defaultValue, value, onChange, hint, error, disabled, layout = "inline", children, className = "" }: Props) {
  const base = useId();
  const hintId = `${base}-hint`;
  const errorId = `${base}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;

  const boxes = options.map((option) => {
    const box = (
      <label key={option.value} className={`flex items-center gap-1.5 ${layout === "list" ? "py-0.5 text-sm" : "text-xs"}`} title={option.title}>
        <input
          type="checkbox"
          name={name}
          value={option.value}
          checked={value ? value.includes(option.value) : undefined}
          defaultChecked={value ? undefined : defaultValue?.includes(option.value)}
          onChange={onChange ? (event) => onChange(option.value, event.target.checked) : undefined}
        />
        {option.label}
      </label>
    );
    return layout === "list" ? <li key={option.value}>{box}</li> : box;
  });

  return (
    <fieldset disabled={disabled} aria-describedby={describedBy} className={`flex flex-col gap-1 ${className}`}>
      <legend className={hideLegend ? "sr-only" : "mb-1 text-xs font-medium"}>{legend}</legend>
      {hint ? (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {layout === "list" ? (
        <>
          <ul className="max-h-56 overflow-y-auto rounded-md border border-line bg-bg p-2">{boxes}</ul>
          {children}
        </>
      ) : (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          {boxes}
          {children}
        </div>
      )}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}
