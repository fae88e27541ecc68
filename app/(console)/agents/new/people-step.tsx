"use client";
import { TECHNICAL_OWNER_RULE } from "@/lib/agents/agent-schema";
import { CheckboxGroup, errorUnder, SelectField } from "@/components/ui/form";
import type { PersonOption, StepProps } from "./register-wizard";

const label = (person: PersonOption) => `${person.name} (${person.email})`;

export function PeopleStep({ state, setState, errors, people }: StepProps & { people: PersonOption[] }) {
  const toggleOwner = (id: string, checked: boolean) =>
    setState((current) => ({ ...current, ownerIds: checked ? [...current.ownerIds, id] : current.ownerIds.filter((owner) => owner !== id) }));

  return (
    <div className="grid gap-5">
      <SelectField
        id="agent-deployed-by"
        label="Deployed by"
        error={errors.deployedById}
        hint="The person who put the agent to work; its actions are its own, not theirs."
        value={state.deployedById}
        onChange={(event) => setState((current) => ({ ...current, deployedById: event.target.value }))}
        className="max-w-md"
      >
        {people.map((person) => (
          <option key={person.id} value={person.id}>
            {label(person)}
          </option>
        ))}
      </SelectField>

      <CheckboxGroup
        legend="Business owners"
        layout="list"
        options={people.map((person) => ({ value: person.id, label: label(person) }))}
        value={state.ownerIds}
        onChange={toggleOwner}
        hint="At least one. Owners hold the agent's kill switch and answer for what it does."
        error={errorUnder(errors, "ownerIds")}
      />

      <SelectField
        id="agent-technical-owner"
        label="Technical owner"
        error={errors.technicalOwnerId}
        hint={TECHNICAL_OWNER_RULE}
        value={state.technicalOwnerId}
        onChange={(event) => setState((current) => ({ ...current, technicalOwnerId: event.target.value }))}
        className="max-w-md"
      >
        <option value="">None</option>
        {people.map((person) => (
          <option key={person.id} value={person.id}>
            {label(person)}
            {state.ownerIds.includes(person.id) ? " (a business owner)" : ""}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
