// A collapsed "Add …" panel for admins: the form is one click away and out of the way.
import type { ReactNode } from "react";

export function AddPanel({ label, children }: { label: string; children: ReactNode }) {
  return (
    <details className="group mb-3 rounded-md border border-line bg-surface">
      <summary className="cursor-pointer select-none px-3 py-1.5 text-xs font-medium text-accent group-open:border-b group-open:border-line">
        {label}
      </summary>
      <div className="p-3">{children}</div>
    </details>
  );
}
