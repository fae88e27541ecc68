"use client";
// Add or edit a global checkpoint policy: one target (a category or an action), an optional
// threshold, and how the checkpoint behaves (approvals needed, expiry, extension).
import { useState } from "react";
import type { ActionCategory } from "@/lib/generated/prisma/enums";
import { ACTION_CATEGORIES } from "@/lib/catalog/catalog-schema";
import { POLICY_LIMITS } from "@/lib/catalog/policy-schema";
import { FieldError, FormMessage, SelectField, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { addPolicy, editPolicy } from "./actions";

export interface PolicyFormValues {
  id: string;
  name: string;
  category: ActionCategory | null;
  action: string | null;
  conditions: { param: string; above: number } | null;
  requiredApprovals: number;
  expirySeconds: number;
  maxExtendSeconds: number;
}

interface Props {
  policy?: PolicyFormValues;
  /** Every action key, grouped by system, for the action target. */
  actionGroups: { system: string; keys: string[] }[];
}

const { requiredApprovals, expirySeconds, maxExtendSeconds } = POLICY_LIMITS;

export function PolicyForm({ policy, actionGroups }: Props) {
  const editing = policy !== undefined;
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(editing ? editPolicy : addPolicy, { resetOnSuccess: !editing, closeOnSuccess: editing });
  const [kind, setKind] = useState<"category" | "action">(policy?.action ? "action" : "category");
  const targetError = errors.target;
  const legendId = `policy-target-${policy?.id ?? "new"}`;

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={editing ? `Edit policy ${policy.name}` : "Add a policy"} className="flex flex-col gap-2">
      {editing ? <input type="hidden" name="id" value={policy.id} /> : null}
      <TextField label="Name" name="name" error={errors.name} required defaultValue={policy?.name} placeholder="External communication needs approval" />

      <fieldset
        aria-describedby={targetError ? `${legendId}-error` : undefined}
        aria-invalid={targetError ? true : undefined}
        className="grid gap-2 rounded-md border border-line p-2 sm:grid-cols-2"
      >
        <legend id={legendId} className="px-1 text-xs font-medium">
          Applies to
        </legend>
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-1.5 text-xs">
            <input type="radio" name="targetKind" value="category" checked={kind === "category"} onChange={() => setKind("category")} />
            Every action of a category
          </label>
          <SelectField label="Category" name="category" error={errors.category} disabled={kind !== "category"} defaultValue={policy?.category ?? ""}>
            <option value="">Pick a category</option>
            {ACTION_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {category.replaceAll("_", " ")}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-1.5 text-xs">
            <input type="radio" name="targetKind" value="action" checked={kind === "action"} onChange={() => setKind("action")} />
            One action
          </label>
          <SelectField label="Action" name="action" error={errors.action} disabled={kind !== "action"} defaultValue={policy?.action ?? ""}>
            <option value="">Pick an action</option>
            {actionGroups.map((group) => (
              <optgroup key={group.system} label={group.system}>
                {group.keys.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
        </div>
        <FieldError id={`${legendId}-error`} message={targetError} className="sm:col-span-2" />
      </fieldset>

      <div className="grid gap-2 sm:grid-cols-2">
        <TextField
          label="Only when parameter"
          name="conditions.param"
          error={errors["conditions.param"]}
          defaultValue={policy?.conditions?.param}
          placeholder="amount"
          spellCheck={false}
          hint="Optional: leave both empty to apply always."
        />
        <TextField label="is above" name="conditions.above" error={errors["conditions.above"]} type="number" step="any" defaultValue={policy?.conditions?.above} placeholder="1000" />
      </div>

      <div className="grid gap-2 sm:grid-cols-3">
        <TextField
          label="Approvals needed"
          name="requiredApprovals"
          error={errors.requiredApprovals}
          type="number"
          min={requiredApprovals.min}
          max={requiredApprovals.max}
          required
          defaultValue={policy?.requiredApprovals ?? 1}
          hint={`${requiredApprovals.min}–${requiredApprovals.max} distinct approvers`}
        />
        <TextField
          label="Expires after (seconds)"
          name="expirySeconds"
          error={errors.expirySeconds}
          type="number"
          min={expirySeconds.min}
          max={expirySeconds.max}
          defaultValue={policy?.expirySeconds ?? expirySeconds.default}
          hint="60–86,400; unanswered means deny"
        />
        <TextField
          label="Can extend by (seconds)"
          name="maxExtendSeconds"
          error={errors.maxExtendSeconds}
          type="number"
          min={maxExtendSeconds.min}
          max={maxExtendSeconds.max}
          defaultValue={policy?.maxExtendSeconds ?? maxExtendSeconds.default}
          hint="0 = approvers cannot extend"
        />
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} size="sm">{editing ? "Save policy" : "Add policy"}</SubmitButton>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
