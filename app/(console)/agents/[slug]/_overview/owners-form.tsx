"use client";
import { TECHNICAL_OWNER_RULE } from "@/lib/agents/agent-schema";
import { CheckboxGroup, errorUnder, FormMessage, SelectField, SubmitButton, useConsoleForm } from "@/components/ui/form";
import { setOwnersAction } from "./actions";

interface Person {
  id: string;
  name: string;
  email: string;
}

export function OwnersForm({ agentId, owners, technicalOwnerId, people }: { agentId: string; owners: Person[]; technicalOwnerId: string | null; people: Person[] }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(setOwnersAction);
  // Owners who can no longer sign in are not offered again; saving removes them.
  const missing = owners.filter((owner) => !people.some((person) => person.id === owner.id));

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid gap-3" aria-labelledby="owners-heading">
      <h3 id="owners-heading" className="text-sm font-semibold">
        People
      </h3>
      <input type="hidden" name="agentId" value={agentId} />
      <CheckboxGroup
        legend="Business owners"
        layout="list"
        name="ownerIds"
        options={people.map((person) => ({
          value: person.id,
          label: (
            <>
              {person.name} <span className="text-muted">({person.email})</span>
            </>
          ),
        }))}
        defaultValue={owners.map((owner) => owner.id)}
        hint="At least one; they hold the kill switch."
        error={errorUnder(errors, "ownerIds")}
      >
        {missing.length ? <p className="mt-1 text-xs text-muted">Disabled and dropped on save: {missing.map((owner) => owner.name).join(", ")}.</p> : null}
      </CheckboxGroup>
      <SelectField
        id="edit-technical-owner"
        label="Technical owner"
        name="technicalOwnerId"
        error={errors.technicalOwnerId}
        hint={TECHNICAL_OWNER_RULE}
        defaultValue={technicalOwnerId ?? ""}
        className="max-w-md"
      >
        <option value="">None</option>
        {people.map((person) => (
          <option key={person.id} value={person.id}>
            {person.name} ({person.email})
          </option>
        ))}
      </SelectField>
      <div>
        <SubmitButton pending={pending}>Save people</SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
