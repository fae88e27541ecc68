"use client";
// Add or edit one line of the written list. The form keeps its values in state (parameter rows
// come and go) and sends the line as an object; the server validates it and its messages come
// back beside the fields they concern.
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { Button, FieldError, FormMessage, SelectField, SubmitButton, TextArea, TextField, useConsoleForm } from "@/components/ui/form";
import { addLineAction, updateLineAction } from "./actions";
import { EMPTY_LINE, formValuesFor, lineFromValues, type LineFormValues, type ParamRow, type StoredLine } from "./line-form-values";
import { ParamRows } from "./param-rows";
import { WindowFields } from "./window-fields";

export interface CatalogSystem {
  key: string;
  name: string;
  actions: Array<{ key: string; name: string; category: string; risk: string }>;
}

type Props = { agentId: string; slug: string; catalog: CatalogSystem[] } & ({ mode: "add" } | { mode: "edit"; permissionId: string; line: StoredLine });

const EFFECTS = [
  { value: "allow", label: "allow" },
  { value: "require_approval", label: "needs approval" },
  { value: "deny", label: "never (deny)" },
];

export function LineForm(props: Props) {
  const { agentId, slug, catalog, mode } = props;
  const start = mode === "edit" ? formValuesFor(props.line) : EMPTY_LINE;
  const [values, setValues] = useState<LineFormValues>(start);
  const [rows, setRows] = useState<ParamRow[]>(start.params);
  const { state, pending, errors, submit: send } = useConsoleForm(mode === "edit" ? updateLineAction : addLineAction);
  const [seen, setSeen] = useState(state);
  const router = useRouter();
  const base = `/agents/${encodeURIComponent(slug)}/permissions`;

  // A new answer from the server: an added line clears the form for the next one.
  if (state !== seen) {
    setSeen(state);
    if (state.ok && mode === "add") {
      setValues(EMPTY_LINE);
      setRows([]);
    }
  }
  useEffect(() => {
    if (state.ok && mode === "edit") router.replace(base, { scroll: false });
  }, [state, mode, router, base]);

  const set = (patch: Partial<LineFormValues>) => setValues((current) => ({ ...current, ...patch }));
  const id = mode === "edit" ? `edit-${props.permissionId.slice(0, 8)}` : "add";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const line = lineFromValues({ ...values, params: rows });
    const target = mode === "edit" ? { agentId, permissionId: props.permissionId } : { agentId };
    send({ ...target, ...line });
  }

  return (
    <form onSubmit={(event) => submit(event)} noValidate className="flex flex-col gap-3 rounded-md border border-line bg-surface p-3" aria-label={mode === "edit" ? "Edit line" : "Add a line"}>
      <FormMessage state={state} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr]">
        <SelectField id={`${id}-action`} label="Action" error={errors.action} value={values.action} onChange={(event) => set({ action: event.target.value })} required>
          <option value="">Choose an action…</option>
          {catalog.map((system) => (
            <optgroup key={system.key} label={system.name}>
              {system.actions.map((action) => (
                <option key={action.key} value={action.key}>
                  {action.key} — {action.name} ({action.category.replaceAll("_", " ")}, {action.risk} risk)
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <SelectField id={`${id}-effect`} label="Effect" error={errors.effect} value={values.effect} onChange={(event) => set({ effect: event.target.value })}>
          {EFFECTS.map((effect) => (
            <option key={effect.value} value={effect.value}>
              {effect.label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        id={`${id}-resource`}
        label="Resource pattern"
        hint='Optional. "*" stays within one path segment, "**" crosses segments; e.g. tickets/* or acme/**.'
        error={errors["conditions.resource"]}
        value={values.resource}
        onChange={(event) => set({ resource: event.target.value })}
        placeholder="tickets/*"
        className="font-mono"
      />
      <ParamRows idPrefix={id} rows={rows} setRows={setRows} fieldErrors={errors} />
      <WindowFields idPrefix={id} values={values} set={set} fieldErrors={errors} />
      <FieldError id={`${id}-conditions-error`} message={[errors.conditions, strayParamErrors(errors, rows)].filter(Boolean).join(" ") || undefined} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <SelectField id={`${id}-fail`} label="When the conditions do not hold" error={errors.onConditionFail} value={values.onConditionFail} onChange={(event) => set({ onConditionFail: event.target.value })}>
          <option value="deny">deny</option>
          <option value="require_approval">ask a person</option>
        </SelectField>
        <TextField id={`${id}-per-minute`} label="At most per minute" error={errors.rateLimitPerMinute} inputMode="numeric" value={values.perMinute} onChange={(event) => set({ perMinute: event.target.value })} />
        <TextField id={`${id}-per-hour`} label="At most per hour" error={errors.rateLimitPerHour} inputMode="numeric" value={values.perHour} onChange={(event) => set({ perHour: event.target.value })} />
      </div>
      <TextArea
        id={`${id}-justification`}
        label="Justification"
        hint="Why the agent needs this; reviewers read it."
        error={errors.justification}
        rows={2}
        maxLength={2000}
        value={values.justification}
        onChange={(event) => set({ justification: event.target.value })}
      />
      <FieldError id={`${id}-root-error`} message={errors["(root)"]} />
      <div className="flex gap-2">
        <SubmitButton pending={pending}>{mode === "edit" ? "Save line" : "Add line"}</SubmitButton>
        {mode === "edit" ? <Button onClick={() => router.replace(base, { scroll: false })}>Cancel</Button> : null}
      </div>
    </form>
  );
}

/** Errors about parameter limits that no row on screen can show (a row without a name, say). */
function strayParamErrors(errors: Record<string, string>, rows: ParamRow[]): string | undefined {
  const names = rows.map((row) => row.name.trim()).filter(Boolean);
  const stray = Object.entries(errors).filter(
    ([path]) => path.startsWith("conditions.params") && !names.some((name) => path === `conditions.params.${name}` || path.startsWith(`conditions.params.${name}.`)),
  );
  return stray.length ? `Parameter limits: ${stray.map(([, message]) => message).join("; ")}` : undefined;
}
