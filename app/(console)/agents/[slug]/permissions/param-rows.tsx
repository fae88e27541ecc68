"use client";
// The parameter-limit rows of the line form: a name, a kind, and its values.
import type { Dispatch, SetStateAction } from "react";
import { Button, SelectField, TextArea, TextField } from "@/components/ui/form";
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

/** Every message about one parameter (its limits' parts too), joined for the row's one error line. */
function errorsUnder(fieldErrors: Record<string, string> | undefined, prefix: string): string | undefined {
  if (!fieldErrors) return undefined;
  const messages = Object.entries(fieldErrors)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .map(([path, message]) => (path === prefix ? message : `${path.slice(prefix.length + 1)}: ${message}`));
  return messages.length ? messages.join("; ") : undefined;
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
            <TextField id={`${id}-name`} label="Parameter" error={error} value={row.name} onChange={(event) => change(row.key, { name: event.target.value })} placeholder="amount" />
            <SelectField id={`${id}-kind`} label="Must be" value={row.kind} onChange={(event) => change(row.key, { kind: event.target.value as LimitKind })}>
              {KINDS.map((kind) => (
                <option key={kind.value} value={kind.value}>
                  {kind.label}
                </option>
              ))}
            </SelectField>
            {row.kind === "number" ? (
              <div className="grid grid-cols-2 gap-2">
                <TextField id={`${id}-min`} label="Minimum" inputMode="decimal" value={row.min} onChange={(event) => change(row.key, { min: event.target.value })} />
                <TextField id={`${id}-max`} label="Maximum" inputMode="decimal" value={row.max} onChange={(event) => change(row.key, { max: event.target.value })} />
              </div>
            ) : (
              <TextArea
                id={`${id}-values`}
                label={row.kind === "oneOf" ? "Values (one per line)" : "Domains (one per line)"}
                rows={2}
                value={row.values}
                onChange={(event) => change(row.key, { values: event.target.value })}
                placeholder={row.kind === "oneOf" ? "USD\nEUR" : "example.com"}
              />
            )}
            <button type="button" className="mt-5 text-xs text-muted underline" onClick={() => setRows((current) => current.filter((candidate) => candidate.key !== row.key))}>
              Remove limit
            </button>
          </div>
        );
      })}
      <div>
        <Button size="sm" onClick={() => setRows((current) => [...current, newParamRow()])}>
          Add a parameter limit
        </Button>
      </div>
    </fieldset>
  );
}
