"use client";
// Switch off one action or a whole category, for one agent (agentId) or for every agent.
import { FormMessage, SelectField, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import type { CapabilityOptions } from "@/lib/kill/list-capability-options";
import { killCapabilityAction } from "./actions";

interface Props {
  options: CapabilityOptions;
  agentId?: string;
  /** "for this agent" or "for every agent": said on the button, so nobody guesses the scope. */
  scope: string;
}

export function CapabilityKillForm({ options, agentId, scope }: Props) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(killCapabilityAction, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={`Switch off a capability ${scope}`} className="grid gap-2 rounded-md border border-line bg-surface p-3 sm:grid-cols-[minmax(17rem,1fr)_2fr_auto] sm:items-start">
      {agentId ? <input type="hidden" name="agentId" value={agentId} /> : null}
      <SelectField label="Capability" name="capability" error={errors.capability} defaultValue="">
        <option value="" disabled>
          Choose an action or a category
        </option>
        <optgroup label="Categories (every action in it)">
          {options.categories.map((category) => (
            <option key={category} value={category}>
              {category.replaceAll("_", " ")}
            </option>
          ))}
        </optgroup>
        <optgroup label="Actions">
          {options.actions.map((action) => (
            <option key={action.key} value={action.key}>
              {action.key}
            </option>
          ))}
        </optgroup>
      </SelectField>
      <TextField label="Reason (optional)" name="reason" error={errors.reason} maxLength={1000} />
      <div className="sm:pt-5">
        <SubmitButton pending={pending} pendingLabel="Switching off…" variant="caution">
          Switch off {scope}
        </SubmitButton>
      </div>
      <FormMessage state={state} className="sm:col-span-3" />
    </form>
  );
}
