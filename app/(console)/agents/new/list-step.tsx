"use client";
// Step 3: the written list. Lines are added one at a time from the catalog; conditions beyond a
// resource pattern, and rate limits, are set on the permissions tab once the agent exists.
import { useRef, useState } from "react";
import { EffectBadge } from "@/components/ui/effect-badge";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { Button, FieldError, SelectField, TextArea, TextField } from "@/components/ui/form";
import type { CatalogSystem, StepProps } from "./register-wizard";
import { checkLine, EFFECTS, type DraftLine, type Effect, type Errors } from "./wizard-model";

const EMPTY = { action: "", effect: "allow" as Effect, justification: "", resource: "" };

export function ListStep({ state, setState, errors, catalog }: StepProps & { catalog: CatalogSystem[] }) {
  const [draft, setDraft] = useState(EMPTY);
  const [draftErrors, setDraftErrors] = useState<Errors>({});
  const [announcement, setAnnouncement] = useState("");
  const counter = useRef(0);
  const actions = new Map(catalog.flatMap((system) => system.actions.map((action) => [action.key, action] as const)));
  const chosen = actions.get(draft.action);

  function add() {
    const found = checkLine(draft);
    setDraftErrors(found);
    if (Object.keys(found).length > 0) return;
    counter.current += 1;
    const line: DraftLine = { ...draft, key: `line-${counter.current}`, justification: draft.justification.trim(), resource: draft.resource.trim() };
    setState((current) => ({ ...current, lines: [...current.lines, line] }));
    setDraft(EMPTY);
    setAnnouncement(`Added ${line.action}. The list has ${state.lines.length + 1} line${state.lines.length ? "s" : ""}.`);
  }

  function remove(key: string) {
    setState((current) => ({ ...current, lines: current.lines.filter((line) => line.key !== key) }));
    setAnnouncement("Line removed.");
  }

  return (
    <div className="grid gap-5">
      <p className="text-muted">
        Anything not on the list is denied. You may register with an empty list, but the agent cannot be activated until it has one.
      </p>
      <LinesTable lines={state.lines} errors={errors} actions={actions} onRemove={remove} />
      <p role="status" className="sr-only">
        {announcement}
      </p>

      <fieldset className="grid gap-3 rounded border border-line p-3">
        <legend className="px-1 text-sm font-semibold">Add a line</legend>
        <SelectField
          id="line-action"
          label="Action"
          error={draftErrors.action}
          hint="From the catalog, grouped by system."
          value={draft.action}
          onChange={(event) => setDraft({ ...draft, action: event.target.value })}
          className="max-w-xl"
        >
          <option value="">Choose an action…</option>
          {catalog.map((system) => (
            <optgroup key={system.key} label={`${system.name} (${system.key})`}>
              {system.actions.map((action) => (
                <option key={action.key} value={action.key}>
                  {action.key}: {action.name} ({action.category.replaceAll("_", " ")}, {action.risk} risk)
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        {chosen ? (
          <p className="flex items-center gap-2 text-xs">
            <CategoryLabel category={chosen.category} /> <RiskBadge risk={chosen.risk} />
          </p>
        ) : null}

        <fieldset>
          <legend className="text-sm font-medium">Effect</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {EFFECTS.map((effect) => (
              <label key={effect.value} className="flex items-start gap-2 text-sm">
                <input type="radio" name="line-effect" value={effect.value} checked={draft.effect === effect.value} onChange={() => setDraft({ ...draft, effect: effect.value })} className="mt-1" />
                <span>
                  {effect.label}
                  <span className="block text-xs text-muted">{effect.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <TextArea
          id="line-justification"
          label="Justification"
          error={draftErrors.justification}
          hint="Why the agent needs this, for the people who review it."
          rows={2}
          maxLength={2000}
          value={draft.justification}
          onChange={(event) => setDraft({ ...draft, justification: event.target.value })}
        />
        <TextField
          id="line-resource"
          label="Resource pattern (optional)"
          error={draftErrors.resource}
          hint="A glob over the resource, e.g. tickets/* (* stays in one segment, ** crosses)."
          value={draft.resource}
          maxLength={512}
          spellCheck={false}
          onChange={(event) => setDraft({ ...draft, resource: event.target.value })}
          className="max-w-md font-mono"
        />
        <div>
          <Button onClick={add}>Add line</Button>
        </div>
      </fieldset>
    </div>
  );
}

function LinesTable({
  lines,
  errors,
  actions,
  onRemove,
}: {
  lines: DraftLine[];
  errors: Errors;
  actions: Map<string, CatalogSystem["actions"][number]>;
  onRemove: (key: string) => void;
}) {
  if (lines.length === 0) return <p className="rounded border border-dashed border-line p-3 text-center text-muted">No lines yet.</p>;
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="mb-1 text-left text-sm font-semibold">Lines so far ({lines.length})</caption>
      <thead>
        <tr className="text-xs uppercase tracking-wide text-muted">
          <th scope="col" className="border-b border-line py-1 pr-3">Action</th>
          <th scope="col" className="border-b border-line py-1 pr-3">Effect</th>
          <th scope="col" className="border-b border-line py-1 pr-3">Justification</th>
          <th scope="col" className="border-b border-line py-1 pr-3">Resource</th>
          <th scope="col" className="border-b border-line py-1"><span className="sr-only">Remove</span></th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, index) => {
          const action = actions.get(line.action);
          const lineErrors = Object.entries(errors).filter(([path]) => path.startsWith(`lines.${index}.`) || path === `lines.${index}`);
          return (
            <tr key={line.key} className="align-top">
              <th scope="row" className="border-b border-line py-1.5 pr-3 font-mono text-xs font-normal">
                {line.action}
                {action ? (
                  <span className="mt-0.5 flex items-center gap-1.5 font-sans">
                    <CategoryLabel category={action.category} /> <RiskBadge risk={action.risk} />
                  </span>
                ) : null}
                {lineErrors.map(([path, message]) => (
                  <FieldError key={path} id={`line-${index}-${path}`} message={message} />
                ))}
              </th>
              <td className="border-b border-line py-1.5 pr-3">
                <EffectBadge effect={line.effect} />
              </td>
              <td className="border-b border-line py-1.5 pr-3">{line.justification}</td>
              <td className="border-b border-line py-1.5 pr-3 font-mono text-xs">{line.resource || <span className="font-sans text-muted">any</span>}</td>
              <td className="border-b border-line py-1.5">
                <button type="button" onClick={() => onRemove(line.key)} className="text-sm text-accent underline underline-offset-2" aria-label={`Remove line ${index + 1}: ${line.action}`}>
                  Remove
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
