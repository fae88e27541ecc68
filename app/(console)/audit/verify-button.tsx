"use client";
// "Verify chain": runs the verifier on the server and says what it found — how many sealed events
// hold together up to which head, or the first broken link and what kind of break it is.
import type { ChainCheck } from "@/lib/audit/check-audit-chain";
import { FormMessage, SubmitButton, useConsoleForm } from "@/components/ui/form";
import { verifyChain } from "./actions";

const number = new Intl.NumberFormat("en");

function Result({ check }: { check: ChainCheck }) {
  const waiting = check.unsealed > 0 ? ` ${check.unsealedCapped ? "More than " : ""}${number.format(check.unsealed)} newer event${check.unsealed === 1 ? "" : "s"} wait for the sealer.` : "";
  if (check.ok) {
    return (
      <p role="status" className="text-sm text-green-800 dark:text-green-300">
        Chain intact: {number.format(check.checked)} sealed event{check.checked === 1 ? "" : "s"} verified
        {check.head ? ` up to seq ${number.format(check.head.seq)} (hash ${check.head.hash.slice(0, 12)}…)` : ""} in {number.format(check.durationMs)} ms.{waiting}
      </p>
    );
  }
  const found = check.firstBreak;
  return (
    <p role="alert" className="rounded-md border border-amber-500/60 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">
      Chain broken{found ? ` at seq ${number.format(found.seq)}: ${found.problem} — ${found.detail}` : ""}. {number.format(check.checked)} events before it hold together.
    </p>
  );
}

export function VerifyButton() {
  const { state, pending, onSubmit, formRef } = useConsoleForm<ChainCheck>(verifyChain);
  return (
    <form ref={formRef} onSubmit={onSubmit} className="flex max-w-md flex-col items-end gap-2 text-right" aria-label="Verify the audit chain">
      <SubmitButton pending={pending} pendingLabel="Verifying…" variant="secondary">
        Verify chain
      </SubmitButton>
      {state.ok && state.data ? <Result check={state.data} /> : <FormMessage state={state} />}
    </form>
  );
}
