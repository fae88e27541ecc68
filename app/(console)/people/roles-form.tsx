"use client";
// One person's roles as checkboxes. Your own row is shown but locked: nobody changes their own
// roles, so an admin cannot lock themselves out or quietly keep power they should lose.
import type { Role } from "@/lib/generated/prisma/enums";
import { CheckboxGroup, errorUnder, FormMessage, SubmitButton, useConsoleForm } from "@/components/ui/form";
import { saveRoles } from "./actions";
import { ROLE_HELP } from "./role-help";

interface Props {
  person: { id: string; name: string; roles: Role[] };
  allRoles: readonly Role[];
  isYou: boolean;
}

export function RolesForm({ person, allRoles, isYou }: Props) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(saveRoles);
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Roles of ${person.name}`} className="flex flex-col gap-1">
      <input type="hidden" name="personId" value={person.id} />
      <CheckboxGroup
        legend={`Roles of ${person.name}`}
        hideLegend
        name="roles"
        options={allRoles.map((role) => ({ value: role, label: role, title: ROLE_HELP[role] }))}
        defaultValue={person.roles}
        disabled={isYou || pending}
        hint={isYou ? "These are your own roles; another admin has to change them." : undefined}
        error={errorUnder(errors, "roles")}
      >
        {isYou ? null : (
          <SubmitButton pending={pending} variant="secondary" size="sm">
            Save roles
          </SubmitButton>
        )}
      </CheckboxGroup>
      <FormMessage state={state} />
    </form>
  );
}
