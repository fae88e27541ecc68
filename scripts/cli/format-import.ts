// The diff of an import as the CLI prints it, one change per line.
import type { ImportResult, LineChange } from "@/lib/agents/import-agents";

const show = (value: unknown) => (value === null ? "none" : Array.isArray(value) ? value.join(", ") : JSON.stringify(value));

function line(change: NonNullable<LineChange["after"]>): string {
  const extras = [
    change.conditions ? `when ${JSON.stringify(change.conditions)}` : "",
    change.rateLimitPerMinute ? `≤${change.rateLimitPerMinute}/min` : "",
    change.rateLimitPerHour ? `≤${change.rateLimitPerHour}/h` : "",
  ].filter(Boolean);
  return `${change.action} ${change.effect}${extras.length ? ` ${extras.join(" ")}` : ""}`;
}

export function formatImportResult(result: ImportResult): string {
  const out: string[] = [];
  for (const agent of result.agents.filter((item) => item.change !== "unchanged")) {
    out.push(agent.change === "create" ? `+ ${agent.slug} (new agent: draft, intern)` : `~ ${agent.slug}`);
    for (const field of agent.fields) {
      out.push(agent.change === "create" ? `    ${field.field}: ${show(field.after)}` : `    ${field.field}: ${show(field.before)} → ${show(field.after)}`);
    }
    for (const change of agent.lines) {
      const at = `    line ${change.position + 1} ${change.change}: `;
      if (change.change === "added") out.push(`${at}${line(change.after!)}`);
      else if (change.change === "removed") out.push(`${at}${line(change.before!)}`);
      else out.push(`${at}${line(change.before!)} → ${line(change.after!)}`);
    }
  }
  const unchanged = result.agents.filter((item) => item.change === "unchanged").map((item) => item.slug);
  if (unchanged.length > 0) out.push(`= unchanged: ${unchanged.join(", ")}`);
  const { create, update } = result.summary;
  out.push(
    result.applied
      ? `Applied: ${create} created, ${update} updated, ${unchanged.length} unchanged.`
      : `Dry run: ${create} to create, ${update} to update, ${unchanged.length} unchanged. Nothing was written.`,
  );
  return out.join("\n");
}
