"use client";
// The parameter-limit rows of the line form: a name, a kind, and its values.
import type { Dispatch, SetStateAction } from "react";
import { Field, errorsUnder, inputClass } from "./field";
import { newParamRow, type LimitKind, type ParamRow } from "./line-form-values";

const KINDS: Array<{ value: LimitKind; label: string }> = [
  { value: "number", label: "number between" },
  { value: "oneOf", label: "one of" },
  { value: "domains", label: "e-mail/URL domain in" },
];

interface Props {
  idPrefix: string;
  rows: ParamRow[];
  setRows: Dispatch<SetStateAction<ParamRow[]>>;
  fieldErrors?: Record<string, string>;
}

export function ParamRows({ idPrefix, rows, setRows, fieldErrors }: Props) {
  const change = (key: number, patch: Partial<ParamRow>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-xs font-medium">Parameter limits</legend>
      {rows.length === 0 ? <p className="text-xs text-muted">No limits on parameters.</p> : null}
      {rows.map((row, index) => {
        const id = `${idPrefix}-param-${index}`;
        const error = row.name.trim() ? errorsUnder(fieldErrors, `conditions.params.${row.name.trim()}`) : undefined;
        return (
          <div key={row.key} className="grid grid-cols-1 items-start gap-2 rounded-md border border-line p-2 sm:grid-cols-[10rem_11rem_1fr_auto]">
            <Field id={`${id}-name`} label="Parameter" error={error}>
              <input className={inputClass} value={row.name} onChange={(event) => change(row.key, { name: event.target.value })} placeholder="amount" />
            </Field>
            <Field id={`${id}-kind`} label="Must be">
              <select className={inputClass} value={row.kind} onChange={(event) => change(row.key, { kind: event.target.value as LimitKind })}>
                {KINDS.map((kind) => (
                  <option key={kind.value} value={kind.value}>
                    {kind.label}
                  </option>
                ))}
              </select>
            </Field>
            {row.kind === "number" ? (
              <div className="grid grid-cols-2 gap-2">
                <Field id={`${id}-min`} label="Minimum">
                  <input className={inputClass} inputMode="decimal" value={row.min} onChange={(event) => change(row.key, { min: event.target.value })} />
                </Field>
                <Field id={`${id}-max`} label="Maximum">
                  <input className={inputClass} inputMode="decimal" value={row.max} onChange={(event) => change(row.key, { max: event.target.value })} />
                </Field>
              </div>
            ) : (
              <Field id={`${id}-values`} label={row.kind === "oneOf" ? "Values (one per line)" : "Domains (one per line)"}>
                <textarea className={inputClass} rows={2} value={row.values} onChange={(event) => change(row.key, { values: event.target.value })} placeholder={row.kind === "oneOf" ? "USD\nEUR" : "example.com"} />
              </Field>
            )}
            <button type="button" className="mt-5 text-xs text-muted underline" onClick={() => setRows((current) => current.filter((candidate) => candidate.key !== row.key))}>
              Remove limit
            </button>
          </div>
        );
      })}
      <div>
        <button type="button" className="rounded-md border border-line px-2 py-1 text-xs" onClick={() => setRows((current) => [...current, newParamRow()])}>
          Add a parameter limit
        </button>
      </div>
    </fieldset>
  );
}
