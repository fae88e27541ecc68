"use client";
// Starts a kill drill: the agent's status poll and stream carry it at once, and its SDK
// acknowledges it; the page shows the measured time once it has.
import { FormMessage, SubmitButton, useConsoleForm } from "@/components/ui/form";
import { startDrillAction } from "@/components/kill/actions";

export function DrillButton({ agentId, waiting }: { agentId: string; waiting: boolean }) {
  const { state, pending, onSubmit } = useConsoleForm(startDrillAction);
  return (
    <form onSubmit={onSubmit} aria-label="Start a kill drill" className="flex flex-col items-start gap-1">
      <input type="hidden" name="agentId" value={agentId} />
      <SubmitButton pending={pending} pendingLabel="Starting…" variant="secondary">
        {waiting ? "Start a new drill" : "Start a kill drill"}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
