"use client";
// "Try an action": a hypothetical request against this agent's current list, state, maturity and
// the global policies, answered by the real decision engine. Nothing is written.
import { startTransition, useActionState, type FormEvent } from "react";
import type { FormState } from "@/lib/auth/action";
import type { TryResult } from "@/lib/permissions/try-action";
import { EffectBadge } from "@/components/ui/effect-badge";
import { formatDuration } from "@/components/ui/format";
import { tryLineAction } from "./actions";
import { Field, inputClass } from "./field";

export function TryPanel({ agentId, actionKeys }: { agentId: string; actionKeys: string[] }) {
  const [state, dispatch, pending] = useActionState<FormState<TryResult>, FormData>(tryLineAction, { ok: false });
  const errors = state.ok ? undefined : state.fieldErrors;

  // Submitted by hand so the fields keep what was typed (a form action would reset them).
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }

  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={submit} noValidate aria-label="Try an action" className="grid grid-cols-1 gap-3 rounded-md border border-line bg-surface p-3 sm:grid-cols-2">
        <input type="hidden" name="agentId" value={agentId} />
        <Field id="try-action" label="Action" hint="Pick from the catalog or type any key." error={errors?.action}>
          <input name="action" list="try-action-keys" className={`${inputClass} font-mono`} autoComplete="off" required />
        </Field>
        <datalist id="try-action-keys">
          {actionKeys.map((key) => (
            <option key={key} value={key} />
          ))}
        </datalist>
        <Field id="try-resource" label="Resource" hint="Optional, e.g. tickets/4711." error={errors?.resource}>
          <input name="resource" className={`${inputClass} font-mono`} autoComplete="off" />
        </Field>
        <Field id="try-params" label="Parameters (JSON object)" hint='Optional, e.g. {"amount": 120, "currency": "EUR"}. At most 16 KiB, 8 levels deep.' error={errors?.params} className="sm:col-span-2">
          <textarea name="params" rows={3} className={`${inputClass} font-mono`} spellCheck={false} />
        </Field>
        <Field id="try-at" label="Time (UTC)" hint="Empty means now." error={errors?.at}>
          <input name="at" type="datetime-local" className={inputClass} />
        </Field>
        <div className="flex items-end">
          <button type="submit" disabled={pending} className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:opacity-90 disabled:opacity-60 dark:text-bg">
            {pending ? "Asking the engine…" : "Try it"}
          </button>
        </div>
        {state.message && !state.ok ? (
          <p role="alert" className="text-sm text-red-700 sm:col-span-2 dark:text-red-300">
            {state.message}
          </p>
        ) : null}
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
