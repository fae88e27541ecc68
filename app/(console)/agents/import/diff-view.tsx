// The changes an import would make, agent by agent: created, updated (field before → after; list
// lines added, removed, changed, by position) or unchanged.
import type { AgentDiff, FieldChange, ImportResult, LineChange } from "@/lib/agents/import-agents";
import { Badge } from "@/components/ui/badge";

const CHANGE_BADGE = {
  create: <Badge tone="green">new agent</Badge>,
  update: <Badge tone="blue">changes</Badge>,
  unchanged: <Badge tone="grey">unchanged</Badge>,
} as const;

export function DiffView({ result }: { result: ImportResult }) {
  const changed = result.agents.filter((agent) => agent.change !== "unchanged");
  const unchanged = result.agents.filter((agent) => agent.change === "unchanged");
  return (
    <div className="flex flex-col gap-3">
      {changed.map((agent) => (
        <AgentChanges key={agent.slug} agent={agent} />
      ))}
      {unchanged.length > 0 ? (
        <p className="text-sm text-muted">
          {CHANGE_BADGE.unchanged} {unchanged.map((agent) => agent.slug).join(", ")}
        </p>
      ) : null}
    </div>
  );
}

function AgentChanges({ agent }: { agent: AgentDiff }) {
  return (
    <article aria-label={`Changes to ${agent.slug}`} className="rounded-md border border-line bg-surface p-3">
      <h3 className="mb-2 flex items-center gap-2 font-mono text-sm font-semibold">
        {agent.slug} {CHANGE_BADGE[agent.change]}
      </h3>
      {agent.fields.length > 0 ? (
        <table className="mb-2 w-full border-collapse text-left text-sm">
          <caption className="sr-only">Fields of {agent.slug}</caption>
          <thead>
            <tr className="text-xs uppercase tracking-wide text-muted">
              <th scope="col" className="w-36 py-1 pr-3">Field</th>
              <th scope="col" className="py-1 pr-3">Before</th>
              <th scope="col" className="py-1">After</th>
            </tr>
          </thead>
          <tbody>
            {agent.fields.map((field) => (
              <tr key={field.field} className="border-t border-line align-top">
                <th scope="row" className="py-1 pr-3 font-medium">{field.field}</th>
                <td className="py-1 pr-3 text-muted">{agent.change === "create" ? "—" : <Value value={field.before} />}</td>
                <td className="py-1"><Value value={field.after} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {agent.lines.length > 0 ? (
        <ul className="flex flex-col gap-1 text-sm" aria-label={`Written list changes of ${agent.slug}`}>
          {agent.lines.map((line) => (
            <LineItem key={`${line.position}-${line.change}`} line={line} />
          ))}
        </ul>
      ) : (
        <p className="text-xs text-muted">Written list unchanged.</p>
      )}
    </article>
  );
}

function Value({ value }: { value: FieldChange["before"] }) {
  if (value === null) return <span className="text-muted">none</span>;
  return <span className="whitespace-pre-wrap break-words">{Array.isArray(value) ? value.join(", ") : value}</span>;
}

const LINE_LABEL = { added: "added", removed: "removed", changed: "changed" } as const;

function LineItem({ line }: { line: LineChange }) {
  return (
    <li className="rounded border border-line px-2 py-1">
      <span className="mr-2 font-medium">
        Line {line.position + 1} {LINE_LABEL[line.change]}
      </span>
      {line.before ? (
        <div className={line.after ? "text-muted line-through decoration-1" : "text-muted"}>
          <LineSummary line={line.before} />
        </div>
      ) : null}
      {line.after ? (
        <div>
          <LineSummary line={line.after} />
        </div>
      ) : null}
    </li>
  );
}

function LineSummary({ line }: { line: NonNullable<LineChange["after"]> }) {
  const extras = [
    line.conditions ? `when ${JSON.stringify(line.conditions)}` : null,
    line.conditions && line.onConditionFail !== "deny" ? `otherwise ${line.onConditionFail}` : null,
    line.rateLimitPerMinute ? `≤ ${line.rateLimitPerMinute}/min` : null,
    line.rateLimitPerHour ? `≤ ${line.rateLimitPerHour}/h` : null,
  ].filter(Boolean);
  return (
    <span>
      <code className="font-mono text-xs">{line.action}</code> → <strong>{line.effect}</strong>
      {extras.length > 0 ? <span className="font-mono text-xs"> {extras.join(" · ")}</span> : null}
      <span className="text-muted"> — {line.justification}</span>
    </span>
  );
}
