"use client";
// The lifecycle changes this agent's status allows, one small form each. Activation lists what
// is still missing instead of offering a button that would fail.
import { useId } from "react";
import { LIFECYCLE_LABEL, REASON_REQUIRED, type LifecycleKind } from "@/lib/agents/agent-lifecycle";
import type { UnmetCheck } from "@/lib/agents/activation-checks";
import type { AgentStatus } from "@/lib/generated/prisma/enums";
import { FieldError, FormMessage, SubmitButton, TextField, useConsoleForm } from "@/components/ui/form";
import { changeStatusAction } from "./actions";

interface Props {
  agentId: string;
  status: AgentStatus;
  transitions: Array<{ to: AgentStatus; kind: LifecycleKind }>;
  unmet: UnmetCheck[];
  liveKeys: number;
}

export function StatusControls({ agentId, status, transitions, unmet, liveKeys }: Props) {
  return (
    <section aria-labelledby="status-heading" className="grid gap-3">
      <h3 id="status-heading" className="text-sm font-semibold">
        Status
      </h3>
      {status === "killed" ? <p className="text-muted">Killed: an owner revives it from the kill switch &amp; drills tab, with a reason. It can also be retired.</p> : null}
      {status === "retired" ? <p className="text-muted">Retired: this is final. Its history stays; nothing about it can change.</p> : null}
      {transitions.map((transition) =>
        transition.kind === "activate" && unmet.length > 0 ? (
          <div key={transition.to} className="rounded border border-line p-3">
            <p className="font-medium">It cannot be activated yet:</p>
            <ul className="ml-5 mt-1 list-disc" aria-label="Unmet activation checks">
              {unmet.map((check) => (
                <li key={check.key}>
                  {check.requirement}. <span className="text-muted">{check.nextStep}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <StatusChangeForm key={transition.to} agentId={agentId} from={status} to={transition.to} kind={transition.kind} liveKeys={liveKeys} />
        ),
      )}
    </section>
  );
}

function StatusChangeForm({ agentId, from, to, kind, liveKeys }: { agentId: string; from: AgentStatus; to: AgentStatus; kind: LifecycleKind; liveKeys: number }) {
  const { state, pending, errors, formRef, onSubmit } = useConsoleForm(changeStatusAction, { resetOnSuccess: true });
  const id = useId();
  const required = REASON_REQUIRED[kind];
  const checks = Object.entries(errors).filter(([path]) => path.startsWith("checks."));
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid gap-2 rounded border border-line p-3" aria-label={`${LIFECYCLE_LABEL[kind]} the agent`}>
      <input type="hidden" name="agentId" value={agentId} />
      <input type="hidden" name="to" value={to} />
      <input type="hidden" name="expectedStatus" value={from} />
      <TextField label={`Reason to ${kind}${required ? "" : " (optional)"}`} name="reason" error={errors.reason} maxLength={1000} />
      {kind === "retire" ? (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="confirm" value="yes" className="mt-1" aria-describedby={errors.confirm ? `${id}-confirm-error` : undefined} />
          <span>
            I understand retiring is final: {liveKeys === 0 ? "it has no live key to revoke" : liveKeys === 1 ? "its one live key is revoked" : `its ${liveKeys} live keys are revoked`}, its
            delegations end and its waiting approvals are cancelled.
          </span>
        </label>
      ) : null}
      <FieldError id={`${id}-confirm-error`} message={errors.confirm} />
      {checks.length ? (
        <ul className="ml-5 list-disc text-sm">
          {checks.map(([path, message]) => (
            <li key={path}>{message}</li>
          ))}
        </ul>
      ) : null}
      <div>
        <SubmitButton pending={pending} pendingLabel="Working…" variant={kind === "retire" ? "caution" : kind === "activate" ? "primary" : "secondary"}>
          {LIFECYCLE_LABEL[kind]}
        </SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
