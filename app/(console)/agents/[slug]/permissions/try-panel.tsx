"use client";
// "Try an action": a hypothetical request against this agent's current list, state, maturity and
// the global policies, answered by the real decision engine. Nothing is written.
import type { TryResult } from "@/lib/permissions/try-action";
import { EffectBadge } from "@/components/ui/effect-badge";
import { formatDuration } from "@/components/ui/format";
import { FormMessage, SubmitButton, TextArea, TextField, useConsoleForm } from "@/components/ui/form";
import { tryLineAction } from "./actions";

export function TryPanel({ agentId, actionKeys }: { agentId: string; actionKeys: string[] }) {
  const { state, pending, errors, onSubmit } = useConsoleForm<TryResult>(tryLineAction);

  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={onSubmit} noValidate aria-label="Try an action" className="grid grid-cols-1 gap-3 rounded-md border border-line bg-surface p-3 sm:grid-cols-2">
        <input type="hidden" name="agentId" value={agentId} />
        <TextField
          id="try-action"
          label="Action"
          hint="Pick from the catalog or type any key."
          error={errors.action}
          name="action"
          list="try-action-keys"
          className="font-mono"
          autoComplete="off"
          required
        />
        <datalist id="try-action-keys">
          {actionKeys.map((key) => (
            <option key={key} value={key} />
          ))}
        </datalist>
        <TextField id="try-resource" label="Resource" hint="Optional, e.g. tickets/4711." error={errors.resource} name="resource" className="font-mono" autoComplete="off" />
        <TextArea
          id="try-params"
          label="Parameters (JSON object)"
          hint='Optional, e.g. {"amount": 120, "currency": "EUR"}. At most 16 KiB, 8 levels deep.'
          error={errors.params}
          wrapperClassName="sm:col-span-2"
          name="params"
          rows={3}
          className="font-mono"
          spellCheck={false}
        />
        <TextField id="try-at" label="Time (UTC)" hint="Empty means now." error={errors.at} name="at" type="datetime-local" />
        <div className="flex items-end">
          <SubmitButton pending={pending} pendingLabel="Asking the engine…">
            Try it
          </SubmitButton>
        </div>
        {/* The engine's answer is its own section below; only refusals belong to the form. */}
        <FormMessage state={state.ok ? { ok: true } : state} className="sm:col-span-2" />
      </form>
      {state.ok && state.data ? <TryOutcome result={state.data} /> : null}
    </div>
  );
}

function TryOutcome({ result }: { result: TryResult }) {
  const { decision } = result;
  return (
    <section data-testid="try-result" aria-live="polite" aria-label="Engine answer" className="rounded-md border border-line bg-surface p-3 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <EffectBadge effect={decision.effect} />
        <code className="font-mono text-xs">{decision.reason}</code>
        <span className="text-muted">{result.reasonText}</span>
      </p>
      <p className="mt-2">{decision.explanation}</p>
      <dl className="mt-2 grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-xs">
        <dt className="text-muted">Deciding rule</dt>
        <dd data-testid="try-rule">
          {result.rule}
          {decision.ruleKind ? <span className="text-muted"> ({decision.ruleKind})</span> : null}
        </dd>
        {decision.effect === "require_approval" ? (
          <>
            <dt className="text-muted">Approvals needed</dt>
            <dd>
              {decision.requiredApprovals}, within {formatDuration(decision.expirySeconds)}
            </dd>
          </>
        ) : null}
        {decision.scopeCreep ? (
          <>
            <dt className="text-muted">Scope creep</dt>
            <dd>yes: the agent asked for something its list does not name</dd>
          </>
        ) : null}
        {decision.notifyOwners ? (
          <>
            <dt className="text-muted">Owners</dt>
            <dd>notified when the agent does this</dd>
          </>
        ) : null}
        <dt className="text-muted">Evaluated at</dt>
        <dd>{result.at.slice(0, 19).replace("T", " ")} UTC</dd>
      </dl>
    </section>
  );
}
