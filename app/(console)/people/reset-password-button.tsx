"use client";
// Resets a person's password after a confirmation, and shows the new one once.
import { ConfirmButton } from "@/components/ui/form";
import { resetPassword } from "./actions";
import { OneTimePassword } from "./one-time-password";

export function ResetPasswordButton({ person }: { person: { id: string; name: string; email: string } }) {
  return (
    <ConfirmButton
      action={resetPassword}
      fields={{ personId: person.id }}
      label="Reset password"
      ariaLabel={`Reset password of ${person.name}`}
      pendingLabel="Resetting…"
      question={`Reset ${person.name}'s password? Their current one stops working, they are signed out everywhere, and any sign-in lock is lifted.`}
      confirmLabel="Reset password"
      result={(state) =>
        state.ok && state.data?.password ? <OneTimePassword key={state.data.password} email={state.data.email} password={state.data.password} /> : null
      }
    />
  );
}
