"use client";
// Promote or demote one step, always with a reason (it changes what the engine lets the agent do).
import { stepMaturity } from "@/lib/agents/agent-lifecycle";
import type { Maturity } from "@/lib/generated/prisma/enums";
import { Button, FieldError, FormMessage, TextArea, useConsoleForm } from "@/components/ui/form";
import { changeMaturityAction } from "./actions";

export function MaturityForm({ agentId, maturity }: { agentId: string; maturity: Maturity }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(changeMaturityAction, { resetOnSuccess: true });
  const up = stepMaturity(maturity, "promote");
  const down = stepMaturity(maturity, "demote");
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid gap-2" aria-labelledby="maturity-heading">
      <h3 id="maturity-heading" className="text-sm font-semibold">
        Maturity
      </h3>
      <p className="text-xs text-muted">
        Interns may only read; juniors need approval for everything else; seniors act and their owners are told; principals act within their list.
      </p>
      <input type="hidden" name="agentId" value={agentId} />
      <TextArea
        id="maturity-reason"
        label="Reason"
        name="reason"
        error={errors.reason}
        hint="At least 10 characters: why it has earned, or lost, the trust."
        rows={2}
        maxLength={1000}
      />
      <FieldError id="maturity-change-error" message={errors.change} />
      <div className="flex flex-wrap gap-2">
        {/* Two submit buttons: the clicked one's name and value say which way the step goes. */}
        {up ? (
          <Button type="submit" name="change" value="promote" disabled={pending}>
            Promote to {up}
          </Button>
        ) : null}
        {down ? (
          <Button type="submit" name="change" value="demote" disabled={pending}>
            Demote to {down}
          </Button>
        ) : null}
      </div>
      <FormMessage state={state} />
    </form>
  );
}
