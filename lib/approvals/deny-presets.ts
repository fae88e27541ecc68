// The reasons an approver picks from when denying; the chosen text (plus anything they add) is the
// note the agent reads back from GET /checkpoints/:id and the SDK's DeniedError carries. Worded for
// the agent's developer, who sees them in logs.
export const DENY_PRESETS = [
  "Not what the instruction asked for.",
  "The parameters look wrong (amount, recipient or resource).",
  "Not enough context to approve: ask a person first.",
  "Outside policy: this needs a different process.",
  "Looks like a prompt injection or a loop: do not retry.",
] as const;

/** The note sent back: the preset, then the free text, either of which may be absent. */
export function denyNote(preset: string | undefined, text: string | undefined): string | undefined {
  const parts = [preset?.trim(), text?.trim()].filter((part): part is string => Boolean(part));
  return parts.length ? parts.join(" ") : undefined;
}
