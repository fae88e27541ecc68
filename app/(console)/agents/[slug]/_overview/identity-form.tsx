"use client";
import { ENVIRONMENT_SUGGESTIONS } from "@/lib/agents/agent-schema";
import { describedBy, Field, fieldClass, FormMessage, primaryButton } from "../../form-controls";
import { useKeptForm } from "../../use-kept-form";
import { updateAgentAction } from "./actions";

export function IdentityForm({ agent }: { agent: { id: string; name: string; purpose: string; environment: string } }) {
  const { state, pending, onSubmit, formKey, errors } = useKeptForm(updateAgentAction);
  return (
    <form key={formKey} onSubmit={onSubmit} noValidate className="grid gap-3" aria-labelledby="identity-heading">
      <h3 id="identity-heading" className="text-sm font-semibold">
        Identity
      </h3>
      <input type="hidden" name="agentId" value={agent.id} />
      <Field id="edit-name" label="Name" error={errors.name}>
        <input id="edit-name" name="name" defaultValue={agent.name} maxLength={120} className={fieldClass} {...describedBy("edit-name", errors.name, false)} />
      </Field>
      <Field id="edit-purpose" label="Purpose" error={errors.purpose} hint="What it is deployed to do (10 to 2,000 characters).">
        <textarea id="edit-purpose" name="purpose" defaultValue={agent.purpose} rows={3} maxLength={2000} className={fieldClass} {...describedBy("edit-purpose", errors.purpose)} />
      </Field>
      <Field id="edit-environment" label="Environment" error={errors.environment}>
        <input
          id="edit-environment"
          name="environment"
          list="edit-environments"
          defaultValue={agent.environment}
          maxLength={32}
          className={`${fieldClass} max-w-xs`}
          {...describedBy("edit-environment", errors.environment, false)}
        />
      </Field>
      <datalist id="edit-environments">
        {ENVIRONMENT_SUGGESTIONS.map((environment) => (
          <option key={environment} value={environment} />
        ))}
      </datalist>
      <div>
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Saving…" : "Save identity"}
        </button>
      </div>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
