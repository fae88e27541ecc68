// A form's own answer from the server. The polite status region is always in the page, so a
// success is announced when its text arrives (screen readers ignore a region inserted with its
// text already in it); a refusal is an alert, which is announced when it appears.
import type { FormState } from "@/lib/auth/action";

export function FormMessage({ state, className = "" }: { state: Pick<FormState, "ok" | "message">; className?: string }) {
  const success = state.ok && state.message ? state.message : null;
  const refusal = !state.ok && state.message ? state.message : null;
  return (
    <>
      <p role="status" className={success ? `text-sm text-green-800 dark:text-green-300 ${className}` : "sr-only"}>
        {success}
      </p>
      {refusal ? (
        <p
          role="alert"
          className={`rounded-md border border-amber-500/60 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-500/10 dark:text-amber-200 ${className}`}
        >
          {refusal}
        </p>
      ) : null}
    </>
  );
}
