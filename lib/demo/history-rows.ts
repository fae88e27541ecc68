// The demo history as insertable rows, each with the audit events it would have left behind:
// every decision (with its reasoning), outcome, checkpoint, approval and alert.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { demoAudit } from "@/lib/demo/build-organisation";
import type { DemoAlert, DemoApproval, DemoCheckpoint } from "@/lib/demo/build-followups";
import type { DemoDecision } from "@/lib/demo/build-history";

export function historyRows(decisions: readonly DemoDecision[], checkpoints: readonly DemoCheckpoint[], approvals: readonly DemoApproval[], alerts: readonly DemoAlert[]) {
  const audit: Prisma.AuditEventCreateManyInput[] = [];
  const checkpointOf = new Map(checkpoints.map((checkpoint) => [checkpoint.decision.id, checkpoint.id]));

  const decisionRows: Prisma.DecisionCreateManyInput[] = decisions.map((d) => {
    const checkpointId = checkpointOf.get(d.id);
    audit.push(
      demoAudit({ agent: d.agentId }, "decision.made", d.createdAt, {
        agentId: d.agentId,
        subjectType: "decision",
        subjectId: d.id,
        traceId: d.traceId,
        parentId: d.parentDecisionId,
        data: {
          action: d.action,
          resource: d.resource,
          params: d.params,
          effect: d.effect,
          reason: d.reason,
          ruleId: d.ruleId,
          onBehalfOf: d.onBehalfOf,
          latencyMicros: d.latencyMicros,
          ...(checkpointId ? { checkpointId } : {}),
          ...(d.notifyOwners ? { ownersNotified: true } : {}),
        },
        reasoning: { instruction: d.instruction, considered: d.considered, chosen: d.chosen, rationale: d.rationale },
      }),
    );
    if (d.outcome) {
      audit.push(
        demoAudit({ agent: d.agentId }, "decision.outcome", d.outcome.at, {
          agentId: d.agentId,
          subjectType: "decision",
          subjectId: d.id,
          traceId: d.traceId,
          data: { status: d.outcome.status, summary: d.outcome.summary },
        }),
      );
    }
    return {
      id: d.id,
      agentId: d.agentId,
      action: d.action,
      resource: d.resource,
      params: d.params ?? undefined,
      instruction: d.instruction,
      considered: d.considered,
      chosen: d.chosen,
      rationale: d.rationale,
      onBehalfOf: d.onBehalfOf,
      traceId: d.traceId,
      parentDecisionId: d.parentDecisionId,
      effect: d.effect,
      reason: d.reason,
      ruleId: d.ruleId,
      latencyMicros: d.latencyMicros,
      createdAt: d.createdAt,
      notifyOwners: d.notifyOwners,
      outcomeStatus: d.outcome?.status ?? null,
      outcomeSummary: d.outcome?.summary ?? null,
      outcomeData: d.outcome?.data,
      outcomeAt: d.outcome?.at ?? null,
    };
  });

  const checkpointRows: Prisma.CheckpointCreateManyInput[] = checkpoints.map((c) => {
    const subject = { agentId: c.decision.agentId, subjectType: "checkpoint", subjectId: c.id, traceId: c.decision.traceId };
    audit.push(
      demoAudit({}, "checkpoint.created", c.decision.createdAt, {
        ...subject,
        data: { decisionId: c.decision.id, digest: c.digest, requiredApprovals: c.requiredApprovals, policyId: c.policyId, permissionId: c.permissionId, expiresAt: c.expiresAt.toISOString() },
      }),
    );
    if (c.decidedAt && c.status !== "pending") audit.push(demoAudit({}, `checkpoint.${c.status}`, c.decidedAt, { ...subject, data: { note: c.note } }));
    return {
      id: c.id,
      decisionId: c.decision.id,
      agentId: c.decision.agentId,
      digest: c.digest,
      status: c.status,
      requiredApprovals: c.requiredApprovals,
      policyId: c.policyId,
      permissionId: c.permissionId,
      expiresAt: c.expiresAt,
      createdAt: c.decision.createdAt,
      decidedAt: c.decidedAt,
      note: c.note,
      consumedAt: c.consumedAt,
    };
  });
  const agentOfCheckpoint = new Map(checkpoints.map((c) => [c.id, c.decision.agentId]));

  const approvalRows: Prisma.ApprovalCreateManyInput[] = approvals.map((a) => {
    const id = randomUUID();
    audit.push(
      demoAudit({ person: a.personId }, "approval.recorded", a.createdAt, {
        agentId: agentOfCheckpoint.get(a.checkpointId),
        subjectType: "checkpoint",
        subjectId: a.checkpointId,
        data: { approvalId: id, verdict: a.verdict, note: a.note },
      }),
    );
    return { id, checkpointId: a.checkpointId, personId: a.personId, verdict: a.verdict, note: a.note, createdAt: a.createdAt };
  });

  const alertRows: Prisma.AlertCreateManyInput[] = alerts.map((alert) => {
    const id = randomUUID();
    const subject = { agentId: alert.agentId, subjectType: "alert", subjectId: id };
    audit.push(demoAudit({}, "alert.raised", alert.createdAt, { ...subject, data: { kind: alert.kind, severity: alert.severity, message: alert.message } }));
    if (alert.resolvedAt && alert.resolvedById) audit.push(demoAudit({ person: alert.resolvedById }, "alert.resolved", alert.resolvedAt, { ...subject, data: { kind: alert.kind } }));
    return { id, ...alert };
  });

  return { decisions: decisionRows, checkpoints: checkpointRows, approvals: approvalRows, alerts: alertRows, audit };
}
