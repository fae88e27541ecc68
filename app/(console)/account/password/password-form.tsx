"use client";
// Current password, then the new one twice. On success every session opened with the old
// password has ended, this one included, so the person is signed out to sign in again.
import { useEffect } from "react";
import { signOut } from "next-auth/react";
import { FormMessage, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { changePassword } from "./actions";

export function PasswordForm({ email }: { email: string }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(changePassword, { resetOnSuccess: true });
  useEffect(() => {
    if (state.ok) void signOut({ callbackUrl: "/signin?passwordChanged=1" });
  }, [state]);

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label="Change your password" className="flex max-w-sm flex-col gap-3">
      {/* For password managers: the account the new password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField label="Current password" name="current" type="password" autoComplete="current-password" error={errors.current} required />
      <TextField
        label="New password"
        name="next"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters mixing three of: lower case, upper case, digits, symbols; not your e-mail."
        error={errors.next}
        required
      />
      <TextField label="New password again" name="confirm" type="password" autoComplete="new-password" error={errors.confirm} required />
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Changing…" size="sm">
          Change password
        </SubmitButton>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
