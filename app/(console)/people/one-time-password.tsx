"use client";
// The one place a generated password is ever shown: once, to the admin who asked for it, to hand
// over out of band. Mandate keeps only its hash, so it cannot be shown again.
import { useState } from "react";

export function OneTimePassword({ email, password }: { email: string; password: string }) {
  const [hidden, setHidden] = useState(false);
  const [copied, setCopied] = useState(false);
  if (hidden) return null;
  return (
    <div
      role="status"
      data-testid="one-time-password"
      className="flex flex-col gap-1.5 rounded-md border-2 border-amber-500 bg-amber-50 p-3 text-amber-950 dark:bg-amber-500/10 dark:text-amber-100"
    >
      <p className="text-xs">
        <span className="font-semibold uppercase tracking-wide">One-time password</span> for {email}
      </p>
      <code className="select-all break-all rounded bg-white px-2 py-1 font-mono text-sm text-fg dark:bg-bg">{password}</code>
      <p className="text-xs">Shown only now. Copy it and give it to {email} privately; Mandate cannot show it again.</p>
      <div className="flex gap-1.5">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(password).then(() => setCopied(true), () => setCopied(false));
          }}
          className="rounded-md border border-amber-600/50 bg-surface px-2 py-0.5 text-xs font-medium text-fg"
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={() => setHidden(true)} className="rounded-md border border-amber-600/50 bg-surface px-2 py-0.5 text-xs font-medium text-fg">
          Done, hide it
        </button>
      </div>
    </div>
  );
}
