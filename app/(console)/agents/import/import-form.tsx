"use client";
// Paste or upload → "Show changes" (a dry run) → "Apply these changes", which applies exactly the
// diff on screen: editing the text afterwards hides Apply until the changes are shown again.
import { useActionState, useState, type ChangeEvent } from "react";
import type { ImportResult } from "@/lib/agents/import-agents";
import type { FormState } from "@/lib/auth/action";
import { applyImport, previewImport } from "./actions";
import { DiffView } from "./diff-view";

const MAX_BYTES = 1024 * 1024;
const button = "rounded px-3 py-1.5 text-sm font-medium disabled:opacity-60";

export function ImportForm() {
  const [preview, previewAction, previewing] = useActionState<FormState<ImportResult>, FormData>(previewImport, { ok: false });
  const [applied, applyAction, applying] = useActionState<FormState<ImportResult>, FormData>(applyImport, { ok: false });
  const [text, setText] = useState("");
  const [submittedText, setSubmittedText] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  // The diff on screen belongs to the text it was computed from.
  const shown = preview.ok && preview.data ? preview.data : null;
  const current = shown !== null && submittedText === text;
  const wasApplied = applied.ok && applied.data?.diffHash === shown?.diffHash;

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError("The file is larger than 1 MiB; split it into several imports.");
      return;
    }
    setText(await file.text());
  }

  return (
    <div className="flex flex-col gap-4">
      <form action={previewAction} onSubmit={() => setSubmittedText(text)} className="flex flex-col gap-2">
        <label htmlFor="import-text" className="text-sm font-medium">
          Agent document (YAML or JSON)
        </label>
        <textarea
          id="import-text"
          name="text"
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={16}
          spellCheck={false}
          aria-invalid={!preview.ok && preview.message ? true : undefined}
          aria-describedby={!preview.ok && preview.message ? "import-errors" : undefined}
          className="rounded border border-line bg-bg p-2 font-mono text-xs text-fg"
          placeholder={"apiVersion: mandate/v1\nkind: AgentList\nagents:\n  - slug: …"}
        />
        <div className="flex flex-wrap items-center gap-3">
          <label className="text-xs text-muted">
            or choose a file{" "}
            <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" onChange={onFile} className="text-xs" />
          </label>
          <button type="submit" disabled={previewing || text.trim() === ""} className={`${button} bg-accent text-white dark:text-gray-950`}>
            {previewing ? "Comparing…" : "Show changes"}
          </button>
        </div>
        {fileError ? <p role="alert" className="text-sm text-amber-800 dark:text-amber-300">{fileError}</p> : null}
      </form>

      {!preview.ok && preview.message ? <Problems id="import-errors" state={preview} /> : null}

      {shown ? (
        <section aria-labelledby="diff-heading" data-testid="import-diff" className="flex flex-col gap-3">
          <h2 id="diff-heading" className="text-sm font-semibold">
            Changes: {shown.summary.create} to create, {shown.summary.update} to update, {shown.summary.unchanged} unchanged
          </h2>
          <DiffView result={shown} />
          {wasApplied ? (
            <p role="status" className="rounded border border-green-600/40 bg-green-50 px-3 py-2 text-sm text-green-800 dark:bg-green-500/10 dark:text-green-300">
              {applied.message}
            </p>
          ) : !current ? (
            <p className="text-sm text-muted">The document was edited after these changes were computed: show the changes again to apply it.</p>
          ) : shown.summary.create + shown.summary.update === 0 ? (
            <p className="text-sm text-muted">Nothing to apply: every agent in the document matches Mandate already.</p>
          ) : (
            <form action={applyAction} className="flex flex-col gap-2">
              <input type="hidden" name="text" value={text} />
              <input type="hidden" name="diffHash" value={shown.diffHash} />
              <div>
                <button type="submit" disabled={applying} className={`${button} bg-accent text-white dark:text-gray-950`}>
                  {applying ? "Applying…" : "Apply these changes"}
                </button>
              </div>
              {!applied.ok && applied.message ? <Problems id="apply-errors" state={applied} /> : null}
            </form>
          )}
        </section>
      ) : null}
    </div>
  );
}

function Problems({ id, state }: { id: string; state: FormState }) {
  const fields = Object.entries(state.fieldErrors ?? {});
  return (
    <div id={id} role="alert" className="rounded border border-amber-500/60 bg-amber-50 px-3 py-2 text-sm dark:bg-amber-500/10">
      <p className="font-medium">{state.message}</p>
      {fields.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {fields.map(([path, message]) => (
            <li key={path}>
              <code className="font-mono text-xs">{path}</code>: {message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
