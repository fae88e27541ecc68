"use client";
import { TECHNICAL_OWNER_RULE } from "@/lib/agents/agent-schema";
import { describedBy, Field, FieldError, fieldClass, FormMessage, primaryButton } from "../../form-controls";
import { useKeptForm } from "../../use-kept-form";
import { setOwnersAction } from "./actions";

interface Person {
  id: string;
  name: string;
  email: string;
}

export function OwnersForm({ agentId, owners, technicalOwnerId, people }: { agentId: string; owners: Person[]; technicalOwnerId: string | null; people: Person[] }) {
  const { state, pending, onSubmit, formKey, errors } = useKeptForm(setOwnersAction);
  const ownerError = errors.ownerIds ?? Object.entries(errors).find(([path]) => path.startsWith("ownerIds."))?.[1];
  const ownerIds = new Set(owners.map((owner) => owner.id));
  // Owners who can no longer sign in are not offered again; saving removes them.
  const missing = owners.filter((owner) => !people.some((person) => person.id === owner.id));

  return (
    <form key={formKey} onSubmit={onSubmit} noValidate className="grid gap-3" aria-labelledby="owners-heading">
      <h3 id="owners-heading" className="text-sm font-semibold">
        People
      </h3>
      <input type="hidden" name="agentId" value={agentId} />
      <fieldset aria-describedby={ownerError ? "edit-owners-error" : "edit-owners-hint"}>
        <legend className="text-sm font-medium">Business owners</legend>
        <p id="edit-owners-hint" className="mb-1 text-xs text-muted">
          At least one; they hold the kill switch.
        </p>
        <ul className="max-h-48 overflow-y-auto rounded border border-line bg-bg p-2">
          {people.map((person) => (
            <li key={person.id}>
              <label className="flex items-center gap-2 py-0.5 text-sm">
                <input type="checkbox" name="ownerIds" value={person.id} defaultChecked={ownerIds.has(person.id)} />
                {person.name} <span className="text-muted">({person.email})</span>
              </label>
            </li>
          ))}
        </ul>
        {missing.length ? <p className="mt-1 text-xs text-muted">Disabled and dropped on save: {missing.map((owner) => owner.name).join(", ")}.</p> : null}
        <FieldError id="edit-owners-error" message={ownerError} />
      </fieldset>
      <Field id="edit-technical-owner" label="Technical owner" error={errors.technicalOwnerId} hint={TECHNICAL_OWNER_RULE}>
        <select
          id="edit-technical-owner"
          name="technicalOwnerId"
          defaultValue={technicalOwnerId ?? ""}
          className={`${fieldClass} max-w-md`}
          {...describedBy("edit-technical-owner", errors.technicalOwnerId)}
        >
          <option value="">None</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name} ({person.email})
            </option>
          ))}
        </select>
      </Field>
      <div>
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Saving…" : "Save people"}
        </button>
      </div>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
