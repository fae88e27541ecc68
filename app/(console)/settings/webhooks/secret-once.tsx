"use client";
// A webhook's signing secret, shown once to the admin who set it: Mandate keeps it encrypted and
// never displays it again (only its last four characters).
import { useState } from "react";

export function SecretOnce({ secret }: { secret: string }) {
  const [hidden, setHidden] = useState(false);
  const [copied, setCopied] = useState(false);
  if (hidden) return null;
  return (
    <div role="status" data-testid="webhook-secret" className="flex flex-col gap-1.5 rounded-md border-2 border-amber-500 bg-amber-50 p-3 text-amber-950 dark:bg-amber-500/10 dark:text-amber-100">
      <p className="text-xs font-semibold uppercase tracking-wide">Signing secret</p>
      <code className="select-all break-all rounded bg-white px-2 py-1 font-mono text-sm text-fg dark:bg-bg">{secret}</code>
      <p className="text-xs">
        Shown only now. The receiver checks each delivery&apos;s <code>Mandate-Signature</code> header with it: HMAC-SHA256 of{" "}
        <code>{"<t>.<body>"}</code>, refusing timestamps older than five minutes.
      </p>
      <div className="flex gap-1.5">
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
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
