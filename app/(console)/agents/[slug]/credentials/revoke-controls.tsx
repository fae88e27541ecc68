"use client";
// Revoke one key, or all of them: each asks for confirmation first, with an optional reason that
// goes into the audit.
import { ConfirmButton, TextField } from "@/components/ui/form";
import { revokeAllKeys, revokeKey } from "./actions";

type Props = { agentId: string } & ({ scope: "one"; credentialId: string; prefix: string; label: string } | { scope: "all"; live: number });

export function RevokeControl(props: Props) {
  const one = props.scope === "one";
  return (
    <ConfirmButton
      action={one ? revokeKey : revokeAllKeys}
      fields={one ? { agentId: props.agentId, credentialId: props.credentialId } : { agentId: props.agentId }}
      label={one ? "Revoke" : "Revoke all keys"}
      ariaLabel={one ? `Revoke key ${props.prefix}` : undefined}
      pendingLabel="Revoking…"
      question={
        one
          ? `Revoke the key “${props.label}” (${props.prefix})? Every call with it is refused from now on.`
          : `Revoke all ${props.live} key(s) of this agent? It cannot call Mandate until someone creates a new key.`
      }
      confirmLabel={one ? "Yes, revoke this key" : "Yes, revoke all keys"}
      tone="caution"
    >
      <TextField label="Reason (optional, kept in the audit)" name="reason" maxLength={500} />
    </ConfirmButton>
  );
}
