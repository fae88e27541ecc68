"use client";
// Approve, deny (a preset reason and/or free text, which the agent reads back) and extend, for the
// selected checkpoint. `a`, `d` and `e` open the matching form with the focus in it; Enter sends,
// Escape closes. The server decides whether the click still counts: a refusal (someone else
// decided meanwhile, separation of duties, expiry) is shown here and the detail refreshes.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { Button, SelectField, TextField } from "@/components/ui/form";
import { formatDuration } from "@/components/ui/format";
import type { FormState } from "@/lib/auth/action";
import { DENY_PRESETS } from "@/lib/approvals/deny-presets";
import { decideAction, extendAction } from "./actions";
import type { CheckpointDetail, DecideResult } from "./inbox-types";

export type Mode = "approve" | "deny" | "extend" | null;

interface Props {
  detail: CheckpointDetail;
  mode: Mode;
  onMode: (mode: Mode) => void;
  onDecided: (result: DecideResult, message: string | undefined) => void;
  /** Any other answer: a refusal (shown by the pane, which outlives this form) or an extension. */
  onAnswer: (state: FormState) => void;
}

const UNREACHABLE: FormState = { ok: false, message: "The console could not be reached; nothing was changed. Try again." };
// Red is for denials (and the kill switch): the two deny buttons, styled here in full rather than
// layered over the shared button's colours.
const DENY_OUTLINE =
  "rounded-md border border-red-600/50 bg-surface px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-500/10";
const DENY_SOLID = "rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60 dark:bg-red-500 dark:text-gray-950";
const EXTENSIONS = [300, 900, 1_800, 3_600, 7_200, 14_400, 86_400];

export function DecideForms({ detail, mode, onMode, onDecided, onAnswer }: Props) {
  const [preset, setPreset] = useState<string>("");
  const decide = useMutation({
    mutationFn: (input: { verdict: "approve" | "deny"; note?: string; preset?: string }) =>
      decideAction(undefined, { checkpointId: detail.id, ...input }) as Promise<FormState<DecideResult>>,
    onSuccess: (state) => (state.ok && state.data ? onDecided(state.data, state.message) : onAnswer(state)),
    onError: () => onAnswer(UNREACHABLE),
  });
  const extend = useMutation({
    mutationFn: (input: { seconds: string; reason?: string }) => extendAction(undefined, { checkpointId: detail.id, ...input }),
    onSuccess: (state) => {
      if (state.ok) onMode(null);
      onAnswer(state);
    },
    onError: () => onAnswer(UNREACHABLE),
  });
  const busy = decide.isPending || extend.isPending;

  const submit = (event: FormEvent<HTMLFormElement>, send: (form: FormData) => void) => {
    event.preventDefault();
    if (!busy) send(new FormData(event.currentTarget));
  };
  const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim() || undefined;
  const escape = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      onMode(null);
    }
  };

  return (
    <div className="space-y-2" onKeyDown={escape}>
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" aria-keyshortcuts="a" disabled={busy} aria-expanded={mode === "approve"} onClick={() => onMode("approve")}>
          Approve <kbd className="ml-1 text-xs opacity-80">a</kbd>
        </Button>
        <button type="button" className={DENY_OUTLINE} aria-keyshortcuts="d" disabled={busy} aria-expanded={mode === "deny"} onClick={() => onMode("deny")}>
          Deny <kbd className="ml-1 text-xs opacity-80">d</kbd>
        </button>
        {detail.viewer.canExtendBy > 0 ? (
          <Button aria-keyshortcuts="e" disabled={busy} aria-expanded={mode === "extend"} onClick={() => onMode("extend")}>
            Extend <kbd className="ml-1 text-xs opacity-80">e</kbd>
          </Button>
        ) : null}
      </div>

      {mode === "approve" ? (
        <form aria-label="Approve this checkpoint" className="space-y-2 rounded-md border border-line bg-surface p-3" onSubmit={(event) => submit(event, (form) => decide.mutate({ verdict: "approve", note: text(form, "note") }))}>
          <TextField label="Note for the agent (optional)" name="note" autoFocus autoComplete="off" maxLength={2000} hint="Enter approves; Escape cancels." />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={busy}>
              {decide.isPending ? "Approving…" : "Confirm approval"}
            </Button>
            <Button onClick={() => onMode(null)}>Cancel</Button>
          </div>
        </form>
      ) : null}

      {mode === "deny" ? (
        <form aria-label="Deny this checkpoint" className="space-y-2 rounded-md border border-red-600/40 bg-surface p-3" onSubmit={(event) => submit(event, (form) => decide.mutate({ verdict: "deny", preset: preset || undefined, note: text(form, "note") }))}>
          <fieldset className="space-y-1">
            <legend className="mb-1 text-xs font-medium">Reason the agent reads back</legend>
            {DENY_PRESETS.map((label, index) => (
              <label key={label} className="flex items-start gap-2 text-sm">
                <input type="radio" name="preset" value={label} checked={preset === label} onChange={() => setPreset(label)} autoFocus={index === 0} />
                <span>{label}</span>
              </label>
            ))}
          </fieldset>
          <TextField label="In your own words (optional)" name="note" autoComplete="off" maxLength={1500} hint="Sent after the reason you picked. Enter denies; Escape cancels." />
          <div className="flex gap-2">
            <button type="submit" className={DENY_SOLID} disabled={busy}>
              {decide.isPending ? "Denying…" : "Confirm denial"}
            </button>
            <Button onClick={() => onMode(null)}>Cancel</Button>
          </div>
        </form>
      ) : null}

      {mode === "extend" && detail.viewer.canExtendBy > 0 ? (
        <form aria-label="Extend this checkpoint" className="space-y-2 rounded-md border border-line bg-surface p-3" onSubmit={(event) => submit(event, (form) => extend.mutate({ seconds: String(form.get("seconds")), reason: text(form, "reason") }))}>
          <SelectField label="Extend by" name="seconds" autoFocus defaultValue={String(Math.min(900, detail.viewer.canExtendBy))} hint="Once per checkpoint, within the policy's limit.">
            {[...new Set([...EXTENSIONS.filter((seconds) => seconds <= detail.viewer.canExtendBy), detail.viewer.canExtendBy])].map((seconds) => (
              <option key={seconds} value={seconds}>
                {formatDuration(seconds)}
              </option>
            ))}
          </SelectField>
          <TextField label="Why (for the audit, optional)" name="reason" autoComplete="off" maxLength={500} />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={busy}>
              {extend.isPending ? "Extending…" : "Extend"}
            </Button>
            <Button onClick={() => onMode(null)}>Cancel</Button>
          </div>
        </form>
      ) : null}

    </div>
  );
}
