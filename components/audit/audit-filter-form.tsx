// The viewer's filters as a plain GET form: every value lands in the URL, so a filtered view is a
// link an auditor can send. Bad values come back marked on their field with the reason.
import Form from "next/form";
import Link from "next/link";
import type { ReactElement, ReactNode } from "react";
import { cloneElement } from "react";
import { AUDIT_EFFECTS } from "@/lib/audit/audit-filter";
import type { AuditFilterOptions } from "@/lib/audit/audit-filter-options";

export type FilterValues = Partial<Record<"agent" | "person" | "type" | "action" | "effect" | "from" | "to" | "trace" | "q", string>>;

const input = "rounded border border-line bg-surface px-2 py-1.5 text-sm text-fg aria-[invalid=true]:border-amber-600";

/** A labelled control with its error under it (outside the label, so it is not part of the name). */
function Field({ name, label, error, children }: { name: string; label: string; error?: string; children: ReactElement<Record<string, unknown>> }) {
  const id = `audit-filter-${name}`;
  const control = cloneElement(children, {
    id,
    name,
    ...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {}),
  });
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
      </label>
      {control}
      {error ? (
        <span id={`${id}-error`} className="max-w-56 text-xs text-amber-800 dark:text-amber-300">
          {error}
        </span>
      ) : null}
    </div>
  );
}

function Options({ id, values }: { id: string; values: string[] }): ReactNode {
  return (
    <datalist id={id}>
      {values.map((value) => (
        <option key={value} value={value} />
      ))}
    </datalist>
  );
}

interface Props {
  values: FilterValues;
  errors: Record<string, string>;
  options: AuditFilterOptions;
  filtered: boolean;
}

export function AuditFilterForm({ values, errors, options, filtered }: Props) {
  return (
    <Form action="/audit" role="search" aria-label="Filter audit events" className="mb-4 flex flex-wrap items-start gap-3">
      <Field name="agent" label="Agent" error={errors.agent}>
        <select defaultValue={values.agent ?? ""} className={`${input} max-w-56`}>
          <option value="">Any agent</option>
          {options.agents.map((agent) => (
            <option key={agent.slug} value={agent.slug}>
              {agent.name} ({agent.slug})
            </option>
          ))}
        </select>
      </Field>
      <Field name="person" label="Person" error={errors.person}>
        <select defaultValue={values.person ?? ""} className={`${input} max-w-56`}>
          <option value="">Anyone</option>
          {options.people.map((person) => (
            <option key={person.email} value={person.email}>
              {person.name} ({person.email})
            </option>
          ))}
        </select>
      </Field>
      <Field name="type" label="Event type" error={errors.type}>
        <input list="audit-types" defaultValue={values.type ?? ""} placeholder="e.g. agent.killed" className={`${input} w-44 font-mono`} />
      </Field>
      <Options id="audit-types" values={options.types} />
      <Field name="action" label="Action" error={errors.action}>
        <input list="audit-actions" defaultValue={values.action ?? ""} placeholder="e.g. crm.contact.read" className={`${input} w-48 font-mono`} />
      </Field>
      <Options id="audit-actions" values={options.actions} />
      <Field name="effect" label="Effect" error={errors.effect}>
        <select defaultValue={values.effect ?? ""} className={input}>
          <option value="">Any effect</option>
          {AUDIT_EFFECTS.map((effect) => (
            <option key={effect} value={effect}>
              {effect}
            </option>
          ))}
        </select>
      </Field>
      <Field name="from" label="From (UTC)" error={errors.from}>
        <input type="datetime-local" defaultValue={values.from ?? ""} className={input} />
      </Field>
      <Field name="to" label="To (UTC)" error={errors.to}>
        <input type="datetime-local" defaultValue={values.to ?? ""} className={input} />
      </Field>
      <Field name="trace" label="Trace id" error={errors.trace}>
        <input defaultValue={values.trace ?? ""} className={`${input} w-44 font-mono`} />
      </Field>
      <Field name="q" label="Instruction contains" error={errors.q}>
        <input type="search" defaultValue={values.q ?? ""} placeholder="e.g. refund" className={`${input} w-52`} />
      </Field>
      <div className="flex items-center gap-3 self-end pb-0.5">
        <button type="submit" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white dark:text-gray-950">
          Apply
        </button>
        {filtered ? (
          <Link href="/audit" className="text-sm font-medium text-accent underline underline-offset-2">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
