"use client";
// The emergency stop-all (admins): one confirmation, nothing more. The first click opens the
// confirmation with the mode and an optional reason; the second stops every agent. Resuming takes
// a reason: it lets every active agent act again.
import { useState } from "react";
import { Button, FieldError, FormMessage, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { resumeAllAction, stopAllAction } from "./actions";

const RED = "rounded-md bg-red-600 font-semibold text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60";

export function StopAllControl({ stopped, activeAgents }: { stopped: boolean; activeAgents: number }) {
  return stopped ? <ResumeForm /> : <StopForm activeAgents={activeAgents} />;
}

function StopForm({ activeAgents }: { activeAgents: number }) {
  const [asking, setAsking] = useState(false);
  const { state, pending, errors, onSubmit } = useConsoleForm(stopAllAction);
  if (!asking) {
    return (
      <div className="flex flex-col items-start gap-1">
        <button type="button" className={`${RED} px-3 py-1.5 text-sm`} onClick={() => setAsking(true)} disabled={pending}>
          {pending ? "Stopping…" : "Stop all agents…"}
        </button>
        <FormMessage state={state} />
      </div>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        onSubmit(event);
        setAsking(false);
      }}
      aria-label="Confirm stopping every agent"
      className="grid max-w-xl gap-3 rounded-md border border-red-600/50 bg-surface p-3"
    >
      <p className="text-sm font-medium">
        Stop every agent now? All {activeAgents === 1 ? "1 active agent is" : `${activeAgents} active agents are`} denied everything until an admin resumes, and every waiting approval is cancelled.
      </p>
      <fieldset className="grid gap-1 text-sm">
        <legend className="mb-1 text-xs font-medium">How</legend>
        <label className="flex items-start gap-2">
          <input type="radio" name="mode" value="graceful" defaultChecked className="mt-1" />
          <span>Graceful: work under way may finish and report its outcome.</span>
        </label>
        <label className="flex items-start gap-2">
          <input type="radio" name="mode" value="forced" className="mt-1" />
          <span>Forced: agents abort what they are doing at once (keys stay; kill an agent forced to revoke its keys).</span>
        </label>
      </fieldset>
      <FieldError message={errors.mode} />
      <TextField label="Reason (optional)" name="reason" error={errors.reason} maxLength={1000} />
      <div className="flex gap-2">
        <button type="submit" className={`${RED} px-3 py-1.5 text-sm`} disabled={pending}>
          Stop every agent
        </button>
        <Button onClick={() => setAsking(false)} autoFocus>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function ResumeForm() {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(resumeAllAction, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Resume every agent" className="grid max-w-xl gap-2 sm:grid-cols-[1fr_auto] sm:items-start">
      <TextField label="Why it is safe to resume" name="reason" error={errors.reason} maxLength={1000} hint="At least 3 characters. Killed and suspended agents stay as they are." />
      <div className="sm:pt-5">
        <SubmitButton pending={pending} pendingLabel="Resuming…">
          Resume all agents
        </SubmitButton>
      </div>
      <FormMessage state={state} className="sm:col-span-2" />
    </form>
  );
}
