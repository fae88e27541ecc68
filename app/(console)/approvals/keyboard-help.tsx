"use client";
// The inbox's shortcuts, opened with `?` (or the button). A native modal <dialog>: focus moves
// into it, Escape closes it, and focus returns to where it was.
import { useEffect, useRef } from "react";

export const SHORTCUTS: ReadonlyArray<[keys: string, what: string]> = [
  ["j (or ↓ in the list)", "next checkpoint"],
  ["k (or ↑ in the list)", "previous checkpoint"],
  ["a", "approve the selected checkpoint (Enter confirms)"],
  ["d", "deny it, with a reason the agent reads (Enter confirms)"],
  ["e", "extend it, when its policy allows"],
  ["Escape", "close the open form or this help"],
  ["?", "show this help"],
];

export function KeyboardHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby="shortcuts-title" onClose={onClose} className="m-auto rounded-md border border-line bg-surface p-4 text-fg shadow-lg backdrop:bg-black/40">
      <h2 id="shortcuts-title" className="mb-2 text-sm font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="contents">
            <dt>
              <kbd className="rounded border border-line bg-surface-2 px-1.5 font-mono text-xs">{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="mt-3 text-right">
        <button type="submit" autoFocus className="rounded-md border border-line bg-surface px-3 py-1.5 text-sm font-medium hover:bg-surface-2">
          Close
        </button>
      </form>
    </dialog>
  );
}
