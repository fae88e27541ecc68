// One trace drawn as a tree: each hop is a card with its agent, action and decision, indented
// under the decision it was made for, with a connector line. Nested lists, so screen readers
// announce the depth; each card opens its decision record.
import Link from "next/link";
import type { TraceNode } from "@/lib/audit/get-trace";
import { EffectBadge } from "@/components/ui/effect-badge";
import { formatAbsolute } from "@/components/ui/format";

function Hop({ node }: { node: TraceNode }) {
  return (
    <li className="relative pl-5 before:absolute before:left-0 before:top-0 before:h-full before:border-l before:border-line after:absolute after:left-0 after:top-5 after:w-4 after:border-t after:border-line last:before:h-5">
      <article className="mb-2 rounded-md border border-line bg-surface px-3 py-2" aria-label={`${node.agent.slug}: ${node.action}, ${node.effect}`}>
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/audit/decisions/${node.id}`} className="font-medium text-accent hover:underline">
            {node.agent.name}
          </Link>
          <span className="font-mono text-xs text-muted">{node.agent.slug}</span>
          <span className="font-mono text-xs">{node.action}</span>
          {node.resource ? <span className="font-mono text-xs text-muted">{node.resource}</span> : null}
          <EffectBadge effect={node.effect} />
          {node.outcome ? <span className="text-xs text-muted">outcome: {node.outcome}</span> : null}
        </div>
        <p className="mt-1 text-sm">“{node.instruction}”</p>
        <p className="mt-1 text-xs text-muted">
          <span className="font-mono">{node.reason.code}</span> — {node.reason.text} · <time dateTime={node.createdAt.toISOString()}>{formatAbsolute(node.createdAt)}</time>
          {node.chain.length ? ` · acting for ${node.chain.join(" → ")}` : ""}
          {node.onBehalfOf ? ` · on behalf of ${node.onBehalfOf}` : ""}
        </p>
      </article>
      {node.children.length ? <HopList nodes={node.children} /> : null}
    </li>
  );
}

function HopList({ nodes }: { nodes: TraceNode[] }) {
  return (
    <ul className="ml-1">
      {nodes.map((node) => (
        <Hop key={node.id} node={node} />
      ))}
    </ul>
  );
}

export function TraceTree({ roots }: { roots: TraceNode[] }) {
  return (
    <div aria-label="Decisions in this trace, each under the decision it was made for">
      <HopList nodes={roots} />
    </div>
  );
}
