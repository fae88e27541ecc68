"use client";
// Add a system, or edit one's name and description (its key is fixed once created).
import { addSystem, editSystem } from "./actions";
import { FormMessage, SubmitButton, TextField } from "./form-kit";
import { useConsoleForm } from "./use-console-form";

interface Props {
  system?: { key: string; name: string; description: string };
}

export function SystemForm({ system }: Props) {
  const editing = system !== undefined;
  const { state, pending, formRef, onSubmit } = useConsoleForm(editing ? editSystem : addSystem, { resetOnSuccess: !editing, closeOnSuccess: editing });
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={editing ? `Edit system ${system.key}` : "Add a system"} className="flex flex-col gap-2">
      <div className="grid gap-2 sm:grid-cols-[12rem_1fr]">
        {editing ? (
          <div className="flex flex-col gap-1">
            <span className="text-xs font-medium">Key</span>
            <span className="py-1 font-mono text-xs">{system.key}</span>
            <input type="hidden" name="key" value={system.key} />
          </div>
        ) : (
          <TextField
            label="Key"
            name="key"
            state={state}
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="crm"
            hint="Lower-case, e.g. crm. Fixed once created."
            className="font-mono"
          />
        )}
        <TextField label="Name" name="name" state={state} required defaultValue={system?.name} placeholder="CRM" />
      </div>
      <TextField label="Description" name="description" state={state} defaultValue={system?.description} placeholder="What agents do there" />
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending}>{editing ? "Save system" : "Add system"}</SubmitButton>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
