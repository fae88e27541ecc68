"use client";
// Resets a person's password after a confirmation, and shows the new one once.
import { useState } from "react";
import { FormMessage } from "@/app/(console)/catalog/form-kit";
import { useConsoleForm } from "@/app/(console)/catalog/use-console-form";
import { resetPassword, type OneTimeSecret } from "./actions";
import { OneTimePassword } from "./one-time-password";

const buttonClass = "rounded-md border border-line bg-surface px-2 py-0.5 text-xs font-medium text-fg hover:bg-surface-2 disabled:opacity-60";

export function ResetPasswordButton({ person }: { person: { id: string; name: string; email: string } }) {
  const [asking, setAsking] = useState(false);
  const { state, pending, formRef, onSubmit } = useConsoleForm<OneTimeSecret>(resetPassword);
  const secret = state.ok ? state.data : undefined;

  return (
    <div className="flex flex-col gap-1">
      {asking ? (
        <form
          ref={formRef}
          onSubmit={(event) => {
            onSubmit(event);
            setAsking(false);
          }}
          className="flex flex-col gap-1 rounded-md border border-line bg-surface p-2"
        >
          <input type="hidden" name="personId" value={person.id} />
          <p className="text-xs">Reset {person.name}&apos;s password? Their current one stops working and any sign-in lock is lifted.</p>
          <div className="flex gap-1.5">
            <button type="submit" className="rounded-md bg-accent px-2 py-0.5 text-xs font-medium text-white dark:text-bg">
              Reset password
            </button>
            <button type="button" onClick={() => setAsking(false)} className={buttonClass}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" disabled={pending} onClick={() => setAsking(true)} aria-label={`Reset password of ${person.name}`} className={buttonClass}>
          {pending ? "Resetting…" : "Reset password"}
        </button>
      )}
      {!state.ok ? <FormMessage state={state} /> : null}
      {secret?.password ? <OneTimePassword key={secret.password} email={secret.email} password={secret.password} /> : null}
    </div>
  );
}
