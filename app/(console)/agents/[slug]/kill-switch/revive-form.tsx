"use client";
// Revive takes a reason and a confirmation: the agent comes back suspended (not live), and at
// intern unless an admin keeps its level with a reason of their own.
import { useId, useState } from "react";
import type { Maturity } from "@/lib/generated/prisma/enums";
import { FieldError, FormMessage, SubmitButton, TextArea, useConsoleForm } from "@/components/ui/form";
import { reviveAgentAction } from "@/components/kill/actions";

interface Props {
  agentId: string;
  maturity: Maturity;
  /** Only admins see the "keep maturity" option; the use case refuses it from anyone else. */
  canKeepMaturity: boolean;
  forced: boolean;
}

export function ReviveForm({ agentId, maturity, canKeepMaturity, forced }: Props) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(reviveAgentAction, { resetOnSuccess: true });
  const [keep, setKeep] = useState(false);
  const id = useId();
  const drop = maturity !== "intern" && !keep;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Revive the agent" className="grid gap-3 rounded-md border border-line bg-surface p-4">
      <input type="hidden" name="agentId" value={agentId} />
      <TextArea label="Why it is safe to bring back" name="reason" error={errors.reason} rows={2} maxLength={1000} hint="At least 3 characters; kept in the audit with your name." />
      {canKeepMaturity && maturity !== "intern" ? (
        <div className="grid gap-2">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="keepMaturity" value="yes" className="mt-1" checked={keep} onChange={(event) => setKeep(event.target.checked)} />
            <span>Keep it {maturity} (admins only): the kill was not the agent&apos;s doing.</span>
          </label>
          {keep ? (
            <TextArea label="Why it keeps its maturity" name="keepMaturityReason" error={errors["keepMaturity.reason"]} rows={2} maxLength={1000} hint="At least 10 characters." />
          ) : null}
        </div>
      ) : null}
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="confirm" value="yes" className="mt-1" aria-describedby={errors.confirm ? `${id}-confirm-error` : undefined} aria-invalid={errors.confirm ? true : undefined} />
        <span>
          I confirm: it comes back <strong>suspended</strong>
          {drop ? (
            <>
              {" "}
              and drops from {maturity} to <strong>intern</strong>
            </>
          ) : null}
          ; an admin activates it when ready{forced ? ", and it needs a new key (the forced kill revoked them all)" : ""}.
        </span>
      </label>
      <FieldError id={`${id}-confirm-error`} message={errors.confirm} />
      <div>
        <SubmitButton pending={pending} pendingLabel="Reviving…">
          Revive
        </SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
