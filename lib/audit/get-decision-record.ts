// The decision record: everything an auditor asks of one decision — the instruction the agent
// followed, what it considered, what it chose and why, the exact parameters, which rule decided
// (a line of the written list, a global checkpoint policy, or a reason code alone), the human
// checkpoint with each vote, the outcome the agent reported, the chain of agents it acted for,
// and the audit events that recorded all of it.
import "server-only";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { db } from "@/lib/db/client";
import { loadEventRows, type AuditEventRow } from "@/lib/audit/list-audit-events";
import { pool } from "@/lib/db/pool";
import { reasonText } from "@/lib/permissions/reasons";
import type { CheckpointStatus, DecisionEffect, OutcomeStatus, PermissionEffect, Verdict } from "@/lib/generated/prisma/enums";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DecidingRule =
  | { kind: "line"; id: string; action: string; effect: PermissionEffect; conditions: unknown; justification: string; changedSince: boolean; agentSlug: string }
  | { kind: "policy"; id: string; name: string; requiredApprovals: number; conditions: unknown; enabled: boolean; changedSince: boolean }
  | { kind: "delegation"; id: string; fromSlug: string; toSlug: string; actions: string[]; expiresAt: Date; revokedAt: Date | null }
  | { kind: "capability_kill"; id: string; capability: string; agentSlug: string | null; reason: string; restoredAt: Date | null }
  | { kind: "gone"; id: string }
  | { kind: "none" };

export interface ChainHop {
  agentId: string;
  agentSlug: string;
  agentName: string | null;
  delegationId: string | null;
}

export interface DecisionRecord {
  id: string;
  createdAt: Date;
  agent: { id: string; slug: string; name: string };
  credential: { prefix: string; label: string } | null;
  action: string;
  resource: string | null;
  params: unknown;
  instruction: string;
  considered: unknown;
  chosen: string | null;
  rationale: string | null;
  onBehalfOf: string | null;
  traceId: string | null;
  effect: DecisionEffect;
  reason: { code: string; text: string };
  rule: DecidingRule;
  latencyMicros: number;
  parent: { id: string; agentSlug: string; action: string; effect: DecisionEffect } | null;
  children: Array<{ id: string; agentSlug: string; action: string; effect: DecisionEffect }>;
  delegationChain: ChainHop[];
  checkpoint: {
    id: string;
    status: CheckpointStatus;
    requiredApprovals: number;
    createdAt: Date;
    expiresAt: Date;
    decidedAt: Date | null;
    consumedAt: Date | null;
    note: string | null;
    approvals: Array<{ person: { name: string; email: string }; verdict: Verdict; note: string | null; createdAt: Date }>;
  } | null;
  outcome: { status: OutcomeStatus; summary: string | null; data: unknown; at: Date | null } | null;
  events: AuditEventRow[];
}

export async function getDecisionRecord(person: Caller, decisionId: string): Promise<DecisionRecord | null> {
  assertCan(person, "audit.view");
  if (!UUID.test(decisionId)) return null;
  const decision = await db().decision.findUnique({
    where: { id: decisionId },
    include: {
      agent: { select: { id: true, slug: true, name: true } },
      parentDecision: { select: { id: true, action: true, effect: true, agent: { select: { slug: true } } } },
      children: { select: { id: true, action: true, effect: true, agent: { select: { slug: true } } }, orderBy: { createdAt: "asc" }, take: 100 },
      checkpoint: { include: { approvals: { include: { person: { select: { name: true, email: true } } }, orderBy: { createdAt: "asc" } } } },
    },
  });
  if (!decision) return null;

  const [credential, rule, chain, events] = await Promise.all([
    decision.credentialId ? db().credential.findUnique({ where: { id: decision.credentialId }, select: { prefix: true, label: true } }) : null,
    decidingRule(decision.ruleId, decision.createdAt),
    chainHops(decision.delegationChain),
    eventsAbout([decision.id, ...(decision.checkpoint ? [decision.checkpoint.id] : [])]),
  ]);
  const cp = decision.checkpoint;
  return {
    id: decision.id,
    createdAt: decision.createdAt,
    agent: decision.agent,
    credential,
    action: decision.action,
    resource: decision.resource,
    params: decision.params,
    instruction: decision.instruction,
    considered: decision.considered,
    chosen: decision.chosen,
    rationale: decision.rationale,
    onBehalfOf: decision.onBehalfOf,
    traceId: decision.traceId,
    effect: decision.effect,
    reason: { code: decision.reason, text: reasonText(decision.reason) },
    rule,
    latencyMicros: decision.latencyMicros,
    parent: decision.parentDecision
      ? { id: decision.parentDecision.id, agentSlug: decision.parentDecision.agent.slug, action: decision.parentDecision.action, effect: decision.parentDecision.effect }
      : null,
    children: decision.children.map((child) => ({ id: child.id, agentSlug: child.agent.slug, action: child.action, effect: child.effect })),
    delegationChain: chain,
    checkpoint: cp
      ? {
          id: cp.id,
          status: cp.status,
          requiredApprovals: cp.requiredApprovals,
          createdAt: cp.createdAt,
          expiresAt: cp.expiresAt,
          decidedAt: cp.decidedAt,
          consumedAt: cp.consumedAt,
          note: cp.note,
          approvals: cp.approvals.map((a) => ({ person: a.person, verdict: a.verdict, note: a.note, createdAt: a.createdAt })),
        }
      : null,
    outcome: decision.outcomeStatus
      ? { status: decision.outcomeStatus, summary: decision.outcomeSummary, data: decision.outcomeData, at: decision.outcomeAt }
      : null,
    events,
  };
}

/**
 * The rule id names a written-list line or a global policy (either may have changed or gone since),
 * or, for a refusal by the chain or the kill switch, the delegation or the capability kill.
 */
async function decidingRule(ruleId: string | null, decidedAt: Date): Promise<DecidingRule> {
  if (!ruleId) return { kind: "none" };
  if (!UUID.test(ruleId)) return { kind: "gone", id: ruleId };
  const [line, policy, delegation, kill] = await Promise.all([
    db().permission.findUnique({ where: { id: ruleId }, include: { action: { select: { key: true } }, agent: { select: { slug: true } } } }),
    db().globalPolicy.findUnique({ where: { id: ruleId } }),
    db().delegation.findUnique({
      where: { id: ruleId },
      select: { id: true, actions: true, expiresAt: true, revokedAt: true, fromAgent: { select: { slug: true } }, toAgent: { select: { slug: true } } },
    }),
    db().capabilityKill.findUnique({ where: { id: ruleId }, select: { id: true, capability: true, reason: true, restoredAt: true, agent: { select: { slug: true } } } }),
  ]);
  if (delegation) {
    const { id, actions, expiresAt, revokedAt, fromAgent, toAgent } = delegation;
    return { kind: "delegation", id, fromSlug: fromAgent.slug, toSlug: toAgent.slug, actions, expiresAt, revokedAt };
  }
  if (kill) return { kind: "capability_kill", id: kill.id, capability: kill.capability, agentSlug: kill.agent?.slug ?? null, reason: kill.reason, restoredAt: kill.restoredAt };
  if (line) {
    return {
      kind: "line",
      id: line.id,
      action: line.action.key,
      effect: line.effect,
      conditions: line.conditions,
      justification: line.justification,
      changedSince: line.updatedAt > decidedAt,
      agentSlug: line.agent.slug,
    };
  }
  if (policy) {
    return {
      kind: "policy",
      id: policy.id,
      name: policy.name,
      requiredApprovals: policy.requiredApprovals,
      conditions: policy.conditions,
      enabled: policy.enabled,
      changedSince: policy.updatedAt > decidedAt,
    };
  }
  return { kind: "gone", id: ruleId };
}

/** The recorded chain ([{ agentId, agentSlug, delegationId }], root first) with today's agent names. */
async function chainHops(value: unknown): Promise<ChainHop[]> {
  if (!Array.isArray(value)) return [];
  const hops = value.flatMap((hop): Omit<ChainHop, "agentName">[] => {
    if (!hop || typeof hop !== "object") return [];
    const { agentId, agentSlug, delegationId } = hop as Record<string, unknown>;
    if (typeof agentId !== "string" || typeof agentSlug !== "string") return [];
    return [{ agentId, agentSlug, delegationId: typeof delegationId === "string" ? delegationId : null }];
  });
  const ids = hops.map((hop) => hop.agentId).filter((id) => UUID.test(id));
  const agents = ids.length ? await db().agent.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(agents.map((agent) => [agent.id, agent.name]));
  return hops.map((hop) => ({ ...hop, agentName: names.get(hop.agentId) ?? null }));
}

/** Audit events about these subjects (the decision's own, its checkpoint's), oldest first. */
async function eventsAbout(subjectIds: string[]): Promise<AuditEventRow[]> {
  const { rows } = await pool().query<{ id: string }>("SELECT id::text FROM audit_event WHERE subject_id = ANY($1::text[]) ORDER BY id LIMIT 200", [subjectIds]);
  return (await loadEventRows(pool(), rows.map((row) => row.id))).reverse();
}
