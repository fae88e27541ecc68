"use client";
// Add a system, or edit one's name and description (its key is fixed once created).
import { FormMessage, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { addSystem, editSystem } from "./actions";
import { KeyField } from "./key-field";

interface Props {
  system?: { key: string; name: string; description: string };
}

export function SystemForm({ system }: Props) {
  const editing = system !== undefined;
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(editing ? editSystem : addSystem, { resetOnSuccess: !editing, closeOnSuccess: editing });
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={editing ? `Edit system ${system.key}` : "Add a system"} className="flex flex-col gap-2">
      <div className="grid gap-2 sm:grid-cols-[12rem_1fr]">
        <KeyField fixed={system?.key} error={errors.key} placeholder="crm" hint="Lower-case, e.g. crm. Fixed once created." />
        <TextField label="Name" name="name" error={errors.name} required defaultValue={system?.name} placeholder="CRM" />
      </div>
      <TextField label="Description" name="description" error={errors.description} defaultValue={system?.description} placeholder="What agents do there" />
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} size="sm">{editing ? "Save system" : "Add system"}</SubmitButton>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
