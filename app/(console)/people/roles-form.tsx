"use client";
// One person's roles as checkboxes. Your own row is shown but locked: nobody changes their own
// roles, so an admin cannot lock themselves out or quietly keep power they should lose.
import type { Role } from "@/lib/generated/prisma/enums";
import { FormMessage, SubmitButton } from "@/app/(console)/catalog/form-kit";
import { useConsoleForm } from "@/app/(console)/catalog/use-console-form";
import { saveRoles } from "./actions";
import { ROLE_HELP } from "./role-help";

interface Props {
  person: { id: string; name: string; roles: Role[] };
  allRoles: readonly Role[];
  isYou: boolean;
}

export function RolesForm({ person, allRoles, isYou }: Props) {
  const { state, pending, formRef, onSubmit } = useConsoleForm(saveRoles);
  const noteId = `roles-note-${person.id}`;
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Roles of ${person.name}`} className="flex flex-col gap-1">
      <input type="hidden" name="personId" value={person.id} />
      <fieldset disabled={isYou || pending} aria-describedby={isYou ? noteId : undefined} className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <legend className="sr-only">Roles of {person.name}</legend>
        {allRoles.map((role) => (
          <label key={role} className="flex items-center gap-1 text-xs" title={ROLE_HELP[role]}>
            <input type="checkbox" name="roles" value={role} defaultChecked={person.roles.includes(role)} />
            {role}
          </label>
        ))}
        {isYou ? null : (
          <SubmitButton pending={pending} pendingText="Saving…" variant="quiet">
            Save roles
          </SubmitButton>
        )}
      </fieldset>
      {isYou ? (
        <p id={noteId} className="text-xs text-muted">
          These are your own roles; another admin has to change them.
        </p>
      ) : null}
      <FormMessage state={state} />
    </form>
  );
}
