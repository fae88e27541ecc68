// One line that says what an audit event was, for the viewer's table and the CSV export: the
// decision and its instruction, the outcome, the vote, or what a change changed (before → after).
// Pure, so the table, the export and the tests agree.

type Json = unknown;

const MAX = 160;

function clip(text: string, max = MAX): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function record(value: Json): Record<string, Json> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

function str(value: Json): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A value as people read it: strings quoted, objects in compact JSON. */
export function showValue(value: Json): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return `"${clip(value, 60)}"`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return clip(JSON.stringify(value), 60);
}

/** The keys whose value differs between before and after, with both values. */
export function changedFields(before: Json, after: Json): Array<{ key: string; before: Json; after: Json }> {
  const a = record(before);
  const b = record(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map((key) => ({ key, before: a[key], after: b[key] }));
}

export function summarizeEvent(type: string, data: Json, instruction?: string | null): string {
  const d = record(data);
  if (type === "decision.made") {
    const target = str(d.resource) ? ` on ${d.resource as string}` : "";
    return clip(`${str(d.action) ?? "?"}${target}${instruction ? ` — “${instruction}”` : ""}`);
  }
  if (type === "decision.outcome") return clip(`Outcome ${str(d.status) ?? "reported"}${str(d.summary) ? `: ${d.summary as string}` : ""}`);
  if (type === "decision.outcome_anomaly") return clip(`Outcome reported for a decision that did not allow it (${str(d.effect) ?? "?"})`);
  if (type.startsWith("checkpoint.") || type === "approval.recorded") {
    const what = str(d.status) ?? str(d.verdict) ?? type.slice(type.indexOf(".") + 1);
    return clip(`${what}${str(d.note) ? `: ${d.note as string}` : ""}`);
  }
  if (type === "audit.verified") {
    const found = record(d.firstBreak);
    return d.ok === true
      ? `Chain intact: ${String(d.checked ?? 0)} sealed events verified`
      : clip(`Chain broken at seq ${String(found.seq ?? "?")}: ${str(found.problem) ?? "?"}${str(found.detail) ? ` (${found.detail as string})` : ""}`);
  }
  if (type === "audit.exported") {
    const filter = Object.entries(record(d.filter)).map(([key, value]) => `${key}=${String(value)}`);
    return clip(`Exported as ${str(d.format) ?? "?"}: ${filter.length ? filter.join(", ") : "every event"}`);
  }
  if (type === "person.sign_in_failed") return clip(`Sign-in failed (${str(d.reason) ?? "unknown reason"})`);
  if (type === "person.signed_in") return `Signed in${str(d.method) ? ` (${d.method as string})` : ""}`;
  if (str(d.message)) return clip(d.message as string);
  if ("before" in d || "after" in d) {
    const changes = changedFields(d.before, d.after);
    if (changes.length === 0) return str(d.reason) ? clip(d.reason as string) : "No field changed";
    const shown = changes.slice(0, 2).map((c) => `${c.key}: ${showValue(c.before)} → ${showValue(c.after)}`);
    return clip(`${shown.join("; ")}${changes.length > 2 ? ` (+${changes.length - 2} more)` : ""}`);
  }
  const pairs = Object.entries(d)
    .filter(([key]) => key !== "via")
    .slice(0, 3)
    .map(([key, value]) => `${key} ${showValue(value)}`);
  return clip(pairs.join(", "));
}

/** What a row's badge shows: the decision's effect, or a checkpoint's verdict. */
export function eventVerdict(type: string, data: Json): "allow" | "deny" | "pending" | "approved" | "denied" | "expired" | null {
  const d = record(data);
  if (type === "decision.made") {
    const effect = d.effect;
    return effect === "allow" || effect === "deny" || effect === "pending" ? effect : null;
  }
  if (type === "checkpoint.approved") return "approved";
  if (type === "checkpoint.denied") return "denied";
  if (type === "checkpoint.expired") return "expired";
  return null;
}
