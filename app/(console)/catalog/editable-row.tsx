"use client";
// A table row with an "Edit" toggle that opens its editor in a full-width row underneath, so
// the table stays dense and the form gets room. The editor closes itself after a save.
import { Children, useMemo, useState, type ReactNode } from "react";
import { Button, EditorContext } from "@/components/ui/form";

interface Props {
  /** The row's cells (th/td), rendered by the server page. */
  cells: ReactNode;
  /** Other controls shown beside the Edit toggle (enable/disable, delete). */
  controls?: ReactNode;
  editor: ReactNode;
  /** What is being edited, for the toggle's accessible name ("Edit crm.contact.read"). */
  label: string;
  columns: number;
}

export function EditableRow({ cells, controls, editor, label, columns }: Props) {
  const [open, setOpen] = useState(false);
  const context = useMemo(() => ({ close: () => setOpen(false) }), []);
  const editorId = `editor-${label.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  return (
    <>
      <tr>
        {/* A server fragment arrives as an unkeyed array; toArray keys each element. */}
        {Children.toArray(cells)}
        <td className="border-b border-line px-3 py-2 align-top">
          <div className="flex flex-wrap items-start gap-1.5">
            <Button size="sm" aria-expanded={open} aria-controls={editorId} aria-label={`Edit ${label}`} onClick={() => setOpen((value) => !value)}>
              {open ? "Close" : "Edit"}
            </Button>
            {Children.toArray(controls)}
          </div>
        </td>
      </tr>
      {open ? (
        <tr id={editorId}>
          <td colSpan={columns} className="border-b border-line bg-surface-2 px-3 py-3">
            <EditorContext.Provider value={context}>{editor}</EditorContext.Provider>
          </td>
        </tr>
      ) : null}
    </>
  );
}
