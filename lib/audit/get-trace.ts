// One trace as a tree: the decisions that share a trace id, each under the decision it was made
// for (parent_decision_id), with the agent and the effect of every hop. A decision whose parent is
// outside the trace (or missing) starts a tree of its own, so nothing recorded is left out.
import "server-only";
import { db } from "@/lib/db/client";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { reasonText } from "@/lib/permissions/reasons";
import type { DecisionEffect, OutcomeStatus } from "@/lib/generated/prisma/enums";

/** A trace is a handful of hops; this many is already a runaway loop worth seeing in part. */
export const TRACE_LIMIT = 500;

export interface TraceNode {
  id: string;
  createdAt: Date;
  agent: { slug: string; name: string };
  action: string;
  resource: string | null;
  effect: DecisionEffect;
  reason: { code: string; text: string };
  instruction: string;
  onBehalfOf: string | null;
  /** Agents above this one in its delegation chain (root first). */
  chain: string[];
  outcome: OutcomeStatus | null;
  children: TraceNode[];
}

export interface Trace {
  traceId: string;
  roots: TraceNode[];
  decisions: number;
  truncated: boolean;
}

export async function getTrace(person: Caller, traceId: string): Promise<Trace | null> {
  assertCan(person, "audit.view");
  if (traceId.length === 0 || traceId.length > 200) return null;
  const rows = await db().decision.findMany({
    where: { traceId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: TRACE_LIMIT + 1,
    select: {
      id: true,
      createdAt: true,
      action: true,
      resource: true,
      effect: true,
      reason: true,
      instruction: true,
      onBehalfOf: true,
      parentDecisionId: true,
      delegationChain: true,
      outcomeStatus: true,
      agent: { select: { slug: true, name: true } },
    },
  });
  if (rows.length === 0) return null;
  const kept = rows.slice(0, TRACE_LIMIT);
  const nodes = new Map<string, TraceNode>(
    kept.map((row) => [
      row.id,
      {
        id: row.id,
        createdAt: row.createdAt,
        agent: row.agent,
        action: row.action,
        resource: row.resource,
        effect: row.effect,
        reason: { code: row.reason, text: reasonText(row.reason) },
        instruction: row.instruction,
        onBehalfOf: row.onBehalfOf,
        chain: chainSlugs(row.delegationChain).slice(0, -1),
        outcome: row.outcomeStatus,
        children: [],
      },
    ]),
  );
  // Rows come oldest first; attaching only to a parent already placed keeps the tree acyclic
  // whatever the stored parent ids say.
  const roots: TraceNode[] = [];
  const placed = new Set<string>();
  for (const row of kept) {
    const node = nodes.get(row.id)!;
    const parent = row.parentDecisionId && placed.has(row.parentDecisionId) ? nodes.get(row.parentDecisionId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
    placed.add(row.id);
  }
  return { traceId, roots, decisions: kept.length, truncated: rows.length > TRACE_LIMIT };
}

function chainSlugs(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((hop) => (hop && typeof hop === "object" && typeof (hop as { agentSlug?: unknown }).agentSlug === "string" ? [(hop as { agentSlug: string }).agentSlug] : []));
}
