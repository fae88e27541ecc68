"use client";
// An admin's controls on one line of the list: move up or down, edit, remove (with a second
// click to confirm). Rendered only for people who may change the list.
import Link from "next/link";
import { useActionState, useState } from "react";
import type { FormState } from "@/lib/auth/action";
import { moveLineAction, removeLineAction } from "./actions";

interface Props {
  agentId: string;
  slug: string;
  permissionId: string;
  index: number;
  count: number;
  /** How the line is named to screen readers, e.g. "line 2, crm.contact.read". */
  label: string;
}

const button = "rounded border border-line px-1.5 py-0.5 text-xs hover:bg-surface-2 disabled:opacity-40";

export function LineControls({ agentId, slug, permissionId, index, count, label }: Props) {
  const [moved, move, moving] = useActionState<FormState, FormData>(moveLineAction, { ok: false });
  const [removed, remove, removing] = useActionState<FormState, FormData>(removeLineAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  const hidden = (
    <>
      <input type="hidden" name="agentId" value={agentId} />
      <input type="hidden" name="permissionId" value={permissionId} />
    </>
  );
  const failure = [moved, removed].find((state) => state.message && !state.ok)?.message;
  return (
    <div className="flex flex-wrap items-center gap-1">
      <form action={move}>
        {hidden}
        <input type="hidden" name="to" value={Math.max(0, index - 1)} />
        <button type="submit" className={button} disabled={index === 0 || moving} aria-label={`Move ${label} up`} title="Move up">
          ↑
        </button>
      </form>
      <form action={move}>
        {hidden}
        <input type="hidden" name="to" value={index + 1} />
        <button type="submit" className={button} disabled={index >= count - 1 || moving} aria-label={`Move ${label} down`} title="Move down">
          ↓
        </button>
      </form>
      <Link href={`/agents/${encodeURIComponent(slug)}/permissions?edit=${permissionId}#line-form`} className={button} aria-label={`Edit ${label}`} scroll={false}>
        Edit
      </Link>
      {confirming ? (
        <form action={remove} className="flex gap-1">
          {hidden}
          <button type="submit" className={`${button} border-red-600/50 text-red-700 dark:text-red-300`} disabled={removing} aria-label={`Confirm removing ${label}`}>
            {removing ? "Removing…" : "Remove for good"}
          </button>
          <button type="button" className={button} onClick={() => setConfirming(false)}>
            Keep
          </button>
        </form>
      ) : (
        <button type="button" className={button} onClick={() => setConfirming(true)} aria-label={`Remove ${label}`}>
          Remove
        </button>
      )}
      {failure ? (
        <p role="alert" className="w-full text-xs text-red-700 dark:text-red-300">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
