"use client";
// Promote or demote one step, always with a reason (it changes what the engine lets the agent do).
import { stepMaturity } from "@/lib/agents/agent-lifecycle";
import type { Maturity } from "@/lib/generated/prisma/enums";
import { describedBy, Field, FieldError, fieldClass, FormMessage, secondaryButton } from "../../form-controls";
import { useKeptForm } from "../../use-kept-form";
import { changeMaturityAction } from "./actions";

export function MaturityForm({ agentId, maturity }: { agentId: string; maturity: Maturity }) {
  const { state, pending, onSubmit, formKey, errors } = useKeptForm(changeMaturityAction);
  const up = stepMaturity(maturity, "promote");
  const down = stepMaturity(maturity, "demote");
  return (
    <form key={formKey} onSubmit={onSubmit} noValidate className="grid gap-2" aria-labelledby="maturity-heading">
      <h3 id="maturity-heading" className="text-sm font-semibold">
        Maturity
      </h3>
      <p className="text-xs text-muted">
        Interns may only read; juniors need approval for everything else; seniors act and their owners are told; principals act within their list.
      </p>
      <input type="hidden" name="agentId" value={agentId} />
      <Field id="maturity-reason" label="Reason" error={errors.reason} hint="At least 10 characters: why it has earned, or lost, the trust.">
        <textarea id="maturity-reason" name="reason" rows={2} maxLength={1000} className={fieldClass} {...describedBy("maturity-reason", errors.reason)} />
      </Field>
      <FieldError id="maturity-change-error" message={errors.change} />
      <div className="flex flex-wrap gap-2">
        {up ? (
          <button type="submit" name="change" value="promote" disabled={pending} className={secondaryButton}>
            Promote to {up}
          </button>
        ) : null}
        {down ? (
          <button type="submit" name="change" value="demote" disabled={pending} className={secondaryButton}>
            Demote to {down}
          </button>
        ) : null}
      </div>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
