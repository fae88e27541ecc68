"use client";
import { ENVIRONMENT_SUGGESTIONS } from "@/lib/agents/agent-schema";
import { TextArea, TextField } from "@/components/ui/form";
import type { StepProps } from "./register-wizard";
import { withName } from "./wizard-model";

export function IdentityStep({ state, setState, errors }: StepProps) {
  return (
    <div className="grid gap-4">
      <TextField
        id="agent-name"
        label="Name"
        error={errors.name}
        hint="What people call it, e.g. Support Triage."
        value={state.name}
        maxLength={120}
        autoFocus
        onChange={(event) => setState((current) => withName(current, event.target.value))}
        className="max-w-md"
      />
      <TextField
        id="agent-slug"
        label="Slug"
        error={errors.slug}
        hint="Its address in URLs and the CLI: lowercase letters, digits and hyphens. Suggested from the name."
        value={state.slug}
        maxLength={64}
        spellCheck={false}
        autoCapitalize="none"
        onChange={(event) => setState((current) => ({ ...current, slug: event.target.value, slugEdited: true }))}
        className="max-w-md font-mono"
      />
      <TextArea
        id="agent-purpose"
        label="Purpose"
        error={errors.purpose}
        hint={`What it is deployed to do, in 10 to 2,000 characters (${state.purpose.trim().length} so far). Requests outside it count as scope creep.`}
        value={state.purpose}
        rows={4}
        maxLength={2000}
        onChange={(event) => setState((current) => ({ ...current, purpose: event.target.value }))}
      />
      <TextField
        id="agent-environment"
        label="Environment"
        error={errors.environment}
        hint="One word: production, staging, development …"
        list="agent-environments"
        value={state.environment}
        maxLength={32}
        onChange={(event) => setState((current) => ({ ...current, environment: event.target.value }))}
        className="max-w-xs"
      />
      <datalist id="agent-environments">
        {ENVIRONMENT_SUGGESTIONS.map((environment) => (
          <option key={environment} value={environment} />
        ))}
      </datalist>
    </div>
  );
}
