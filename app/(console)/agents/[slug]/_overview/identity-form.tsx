"use client";
import { ENVIRONMENT_SUGGESTIONS } from "@/lib/agents/agent-schema";
import { FormMessage, SubmitButton, TextArea, TextField, useConsoleForm } from "@/components/ui/form";
import { updateAgentAction } from "./actions";

export function IdentityForm({ agent }: { agent: { id: string; name: string; purpose: string; environment: string } }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(updateAgentAction);
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid gap-3" aria-labelledby="identity-heading">
      <h3 id="identity-heading" className="text-sm font-semibold">
        Identity
      </h3>
      <input type="hidden" name="agentId" value={agent.id} />
      <TextField id="edit-name" label="Name" name="name" error={errors.name} defaultValue={agent.name} maxLength={120} />
      <TextArea
        id="edit-purpose"
        label="Purpose"
        name="purpose"
        error={errors.purpose}
        hint="What it is deployed to do (10 to 2,000 characters)."
        defaultValue={agent.purpose}
        rows={3}
        maxLength={2000}
      />
      <TextField
        id="edit-environment"
        label="Environment"
        name="environment"
        error={errors.environment}
        list="edit-environments"
        defaultValue={agent.environment}
        maxLength={32}
        className="max-w-xs"
      />
      <datalist id="edit-environments">
        {ENVIRONMENT_SUGGESTIONS.map((environment) => (
          <option key={environment} value={environment} />
        ))}
      </datalist>
      <div>
        <SubmitButton pending={pending}>Save identity</SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
