"use client";
// Add an action to a system, or edit its name, description, category and risk. The key is what
// agents ask for, so it is fixed once created.
import type { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";
import { ACTION_CATEGORIES, RISK_LEVELS } from "@/lib/catalog/catalog-schema";
import { FormMessage, SelectField, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { addAction, editAction } from "./actions";
import { KeyField } from "./key-field";

interface Props {
  systemKey: string;
  action?: { key: string; name: string; description: string; category: ActionCategory; risk: RiskLevel };
}

export function ActionForm({ systemKey, action }: Props) {
  const editing = action !== undefined;
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(editing ? editAction : addAction, { resetOnSuccess: !editing, closeOnSuccess: editing });
  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={editing ? `Edit action ${action.key}` : `Add an action to ${systemKey}`} className="flex flex-col gap-2">
      <input type="hidden" name="systemKey" value={systemKey} />
      <div className="grid gap-2 sm:grid-cols-2">
        <KeyField
          fixed={action?.key}
          error={errors.key}
          defaultValue={`${systemKey}.`}
          hint={`Starts with ${systemKey}., e.g. ${systemKey}.contact.read. Fixed once created.`}
        />
        <TextField label="Name" name="name" error={errors.name} required defaultValue={action?.name} placeholder="Read contact" />
      </div>
      <TextField label="Description" name="description" error={errors.description} defaultValue={action?.description} />
      <div className="grid gap-2 sm:grid-cols-2">
        <SelectField label="Category" name="category" error={errors.category} defaultValue={action?.category ?? ""} required>
          <option value="" disabled>
            Pick a category
          </option>
          {ACTION_CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {category.replaceAll("_", " ")}
            </option>
          ))}
        </SelectField>
        <SelectField label="Risk" name="risk" error={errors.risk} defaultValue={action?.risk ?? ""} required>
          <option value="" disabled>
            Pick a risk level
          </option>
          {RISK_LEVELS.map((risk) => (
            <option key={risk} value={risk}>
              {risk}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} size="sm">{editing ? "Save action" : "Add action"}</SubmitButton>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
