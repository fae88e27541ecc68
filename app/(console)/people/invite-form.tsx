"use client";
// Add a person: e-mail, name, roles, and (with single sign-on configured) whether they get a
// password at all. A generated password appears once, in the marked box, after a success.
import type { Role } from "@/lib/generated/prisma/enums";
import { CheckboxGroup, errorUnder, FormMessage, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { invite, type OneTimeSecret } from "./actions";
import { OneTimePassword } from "./one-time-password";
import { ROLE_HELP } from "./role-help";

export function InviteForm({ roles, ssoLabel }: { roles: readonly Role[]; ssoLabel: string | null }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm<OneTimeSecret>(invite, { resetOnSuccess: true });
  const secret = state.ok ? state.data : undefined;

  return (
    <div className="flex flex-col gap-3">
      <form ref={formRef} onSubmit={onSubmit} aria-label="Add a person" className="flex flex-col gap-2">
        <div className="grid gap-2 sm:grid-cols-2">
          <TextField label="E-mail" name="email" type="email" error={errors.email} required autoComplete="off" spellCheck={false} />
          <TextField label="Name" name="name" error={errors.name} required autoComplete="off" />
        </div>
        <CheckboxGroup
          legend="Roles (none is fine for someone who only owns agents)"
          name="roles"
          options={roles.map((role) => ({ value: role, label: role, title: ROLE_HELP[role] }))}
          error={errorUnder(errors, "roles")}
        />
        {ssoLabel ? (
          <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
            <legend className="mb-1 text-xs font-medium">Signs in with</legend>
            <label className="flex items-center gap-1.5 text-xs">
              <input type="radio" name="signIn" value="password" defaultChecked />a password (generated now, shown once)
            </label>
            <label className="flex items-center gap-1.5 text-xs">
              <input type="radio" name="signIn" value="sso" />
              {ssoLabel} only (no password)
            </label>
          </fieldset>
        ) : (
          <p className="text-xs text-muted">Mandate generates a first password and shows it to you once.</p>
        )}
        <div className="flex items-center gap-3">
          <SubmitButton pending={pending} pendingLabel="Adding…" size="sm">
            Add person
          </SubmitButton>
          <FormMessage state={state} />
        </div>
      </form>
      {secret?.password ? <OneTimePassword key={secret.password} email={secret.email} password={secret.password} /> : null}
    </div>
  );
}
