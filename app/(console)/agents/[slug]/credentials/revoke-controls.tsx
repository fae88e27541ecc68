"use client";
// Revoke one key, or all of them: each asks for confirmation first, with an optional reason that
// goes into the audit.
import { useActionState, useState } from "react";
import type { FormState } from "@/lib/auth/action";
import { revokeAllKeys, revokeKey } from "./actions";
import { FormMessage, confirmButton, fieldClass, secondaryButton } from "./form-bits";

type Props = { agentId: string } & ({ scope: "one"; credentialId: string; prefix: string; label: string } | { scope: "all"; live: number });

export function RevokeControl(props: Props) {
  const [state, action, pending] = useActionState<FormState, FormData>(props.scope === "one" ? revokeKey : revokeAllKeys, { ok: false });
  // Open for the state it was opened in: any answer of the action closes it (showing the message).
  const [openedWith, setOpenedWith] = useState<FormState | null>(null);
  const confirming = openedWith === state;

  const id = props.scope === "one" ? props.credentialId : "all";
  const opener = props.scope === "one" ? "Revoke" : "Revoke all keys";
  const question =
    props.scope === "one"
      ? `Revoke the key “${props.label}” (${props.prefix})? Every call with it is refused from now on.`
      : `Revoke all ${props.live} key(s) of this agent? It cannot call Mandate until someone creates a new key.`;

  if (!confirming) {
    return (
      <div>
        <button
          type="button"
          onClick={() => setOpenedWith(state)}
          className={secondaryButton}
          aria-label={props.scope === "one" ? `Revoke key ${props.prefix}` : undefined}
        >
          {opener}
        </button>
        {state.message ? <FormMessage ok={state.ok} message={state.message} /> : null}
      </div>
    );
  }
  return (
    <form action={action} className="flex max-w-md flex-col gap-2 rounded-md border border-amber-500/60 bg-surface p-2">
      <input type="hidden" name="agentId" value={props.agentId} />
      {props.scope === "one" ? <input type="hidden" name="credentialId" value={props.credentialId} /> : null}
      <p className="text-sm">{question}</p>
      <label htmlFor={`revoke-reason-${id}`} className="text-xs font-medium text-muted">
        Reason (optional, kept in the audit)
      </label>
      <input id={`revoke-reason-${id}`} name="reason" maxLength={500} className={fieldClass} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={confirmButton}>
          {pending ? "Revoking…" : props.scope === "one" ? "Yes, revoke this key" : "Yes, revoke all keys"}
        </button>
        <button type="button" onClick={() => setOpenedWith(null)} className={secondaryButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}
