"use client";
import { TECHNICAL_OWNER_RULE } from "@/lib/agents/agent-schema";
import { describedBy, Field, FieldError, fieldClass } from "../form-controls";
import type { PersonOption, StepProps } from "./register-wizard";

const label = (person: PersonOption) => `${person.name} (${person.email})`;

export function PeopleStep({ state, setState, errors, people }: StepProps & { people: PersonOption[] }) {
  const ownerError = errors.ownerIds ?? Object.entries(errors).find(([path]) => path.startsWith("ownerIds."))?.[1];
  const toggleOwner = (id: string, checked: boolean) =>
    setState((current) => ({ ...current, ownerIds: checked ? [...current.ownerIds, id] : current.ownerIds.filter((owner) => owner !== id) }));

  return (
    <div className="grid gap-5">
      <Field id="agent-deployed-by" label="Deployed by" error={errors.deployedById} hint="The person who put the agent to work; its actions are its own, not theirs.">
        <select
          id="agent-deployed-by"
          value={state.deployedById}
          onChange={(event) => setState((current) => ({ ...current, deployedById: event.target.value }))}
          className={`${fieldClass} max-w-md`}
          {...describedBy("agent-deployed-by", errors.deployedById)}
        >
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {label(person)}
            </option>
          ))}
        </select>
      </Field>

      <fieldset aria-describedby={ownerError ? "agent-owners-error" : "agent-owners-hint"}>
        <legend className="text-sm font-medium">Business owners</legend>
        <p id="agent-owners-hint" className="mb-1 text-xs text-muted">
          At least one. Owners hold the agent&apos;s kill switch and answer for what it does.
        </p>
        <ul className="max-h-56 overflow-y-auto rounded border border-line bg-bg p-2">
          {people.map((person) => (
            <li key={person.id}>
              <label className="flex items-center gap-2 py-0.5 text-sm">
                <input type="checkbox" checked={state.ownerIds.includes(person.id)} onChange={(event) => toggleOwner(person.id, event.target.checked)} />
                {label(person)}
              </label>
            </li>
          ))}
        </ul>
        <FieldError id="agent-owners-error" message={ownerError} />
      </fieldset>

      <Field id="agent-technical-owner" label="Technical owner" error={errors.technicalOwnerId} hint={TECHNICAL_OWNER_RULE}>
        <select
          id="agent-technical-owner"
          value={state.technicalOwnerId}
          onChange={(event) => setState((current) => ({ ...current, technicalOwnerId: event.target.value }))}
          className={`${fieldClass} max-w-md`}
          {...describedBy("agent-technical-owner", errors.technicalOwnerId)}
        >
          <option value="">None</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {label(person)}
              {state.ownerIds.includes(person.id) ? " (a business owner)" : ""}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
