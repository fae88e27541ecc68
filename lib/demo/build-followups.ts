// What followed the demo's decisions: a checkpoint for every pending one (old ones approved,
// denied or expired by the approvers, recent ones still open), and the alerts the bursts raised.
import { createHash } from "node:crypto";
import type { AlertKind, AlertSeverity, CheckpointStatus, Verdict } from "@/lib/generated/prisma/enums";
import type { DemoDecision } from "@/lib/demo/build-history";
import type { Rng } from "@/lib/demo/prng";

export interface DemoCheckpoint {
  id: string;
  decision: DemoDecision;
  digest: string;
  status: CheckpointStatus;
  requiredApprovals: number;
  policyId: string | null;
  permissionId: string | null;
  expiresAt: Date;
  decidedAt: Date | null;
  note: string | null;
  consumedAt: Date | null;
}

export interface DemoApproval {
  checkpointId: string;
  personId: string;
  verdict: Verdict;
  note: string;
  createdAt: Date;
}

export interface DemoAlert {
  agentId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  data: Record<string, string | number | string[]>;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedById: string | null;
}

/** JSON with object keys sorted at every level, so equal content always gives equal bytes. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a checkpoint is bound to: this agent doing exactly this action with exactly these parameters. */
export function checkpointDigest(decision: Pick<DemoDecision, "agentId" | "action" | "resource" | "params">): string {
  const canonical = stableStringify({ agent: decision.agentId, action: decision.action, resource: decision.resource, params: decision.params ?? {} });
  return createHash("sha256").update(canonical).digest("hex");
}

const NOTES: Record<string, { approve: string[]; deny: string[] }> = {
  payments: {
    approve: ["Matches the original charge; long-standing customer.", "Checked the duplicate charge in the dashboard; fine.", "Approved: amount and currency match the invoice."],
    deny: ["Already refunded on an earlier ticket; do not refund twice.", "Not a duplicate: the second charge is for extra seats."],
  },
  "crm.record.delete": {
    approve: ["Checked the pair by hand: same person.", "Same phone and office; merge is fine."],
    deny: ["Not the same person: different phone and office."],
  },
  crm: {
    approve: ["Fine, matches the enrichment record.", "OK: only the company domain leaves the CRM."],
    deny: ["Leave this one to the account executive; it is a key account."],
  },
};

function notesFor(action: string): { approve: string[]; deny: string[] } {
  const match = NOTES[action] ?? NOTES[action.split(".")[0] ?? ""] ?? NOTES.crm;
  return match as { approve: string[]; deny: string[] };
}

export function buildCheckpoints(decisions: readonly DemoDecision[], rng: Rng, approvers: readonly [string, string], newId: () => string) {
  const checkpoints: DemoCheckpoint[] = [];
  const approvals: DemoApproval[] = [];
  decisions.forEach((decision) => {
    if (decision.effect !== "pending" || !decision.checkpoint) return;
    const { requiredApprovals, expirySeconds, policyId, permissionId } = decision.checkpoint;
    const created = decision.createdAt.getTime();
    const checkpoint: DemoCheckpoint = {
      id: newId(),
      decision,
      digest: checkpointDigest(decision),
      status: "pending",
      requiredApprovals,
      policyId,
      permissionId,
      expiresAt: new Date(created + expirySeconds * 1000),
      decidedAt: null,
      note: null,
      consumedAt: null,
    };
    checkpoints.push(checkpoint);
    const order = rng.chance(0.5) ? approvers : ([approvers[1], approvers[0]] as const);
    const vote = (index: number, verdict: Verdict, note: string, at: number) =>
      approvals.push({ checkpointId: checkpoint.id, personId: order[index] as string, verdict, note, createdAt: new Date(at) });
    const notes = notesFor(decision.action);
    const firstAt = created + rng.int(45, Math.min(expirySeconds * 0.4, 900)) * 1000;

    if (decision.live) {
      // One of the open two-approver checkpoints already has its first approval.
      if (requiredApprovals > 1 && checkpoints.filter((c) => c.decision.live && c.requiredApprovals > 1).length === 1) {
        vote(0, "approve", rng.pick(notes.approve), created + rng.int(30, 80) * 1000);
      }
      return;
    }
    const historical = checkpoints.filter((c) => !c.decision.live).length;
    const fate = historical % 6 === 3 ? "denied" : historical % 6 === 5 ? "expired" : "approved";
    if (fate === "expired") {
      if (requiredApprovals > 1) vote(0, "approve", rng.pick(notes.approve), firstAt);
      Object.assign(checkpoint, { status: "expired", decidedAt: checkpoint.expiresAt, note: "Expired without enough approvals (timeout is a deny)." });
      decision.outcome = { status: "skipped", summary: "Not done: the checkpoint expired.", at: new Date(checkpoint.expiresAt.getTime() + rng.int(200, 3000)) };
      return;
    }
    if (fate === "denied") {
      const note = rng.pick(notes.deny);
      vote(0, "deny", note, firstAt);
      Object.assign(checkpoint, { status: "denied", decidedAt: new Date(firstAt), note });
      decision.outcome = { status: "skipped", summary: "Not done: an approver denied it.", at: new Date(firstAt + rng.int(300, 3000)) };
      return;
    }
    let decidedAt = firstAt;
    let note = rng.pick(notes.approve);
    vote(0, "approve", note, firstAt);
    if (requiredApprovals > 1) {
      decidedAt = firstAt + rng.int(60, 600) * 1000;
      note = rng.pick(notes.approve);
      vote(1, "approve", note, decidedAt);
    }
    const consumedAt = decidedAt + rng.int(300, 4000);
    Object.assign(checkpoint, { status: "approved", decidedAt: new Date(decidedAt), note, consumedAt: new Date(consumedAt) });
    decision.outcome = { status: "succeeded", summary: decision.summary, at: new Date(consumedAt + rng.int(200, 2500)), data: { durationMs: rng.int(150, 2500) } };
  });
  return { checkpoints, approvals };
}

/** The alerts the two bursts raised; the refund one was looked at and resolved. */
export function buildAlerts(decisions: readonly DemoDecision[], resolvers: { finance: string; engineering: string }): DemoAlert[] {
  const alerts: DemoAlert[] = [];
  const limited = decisions.filter((d) => d.burst === "incident-refunds" && d.reason === "rate_limited");
  const firstLimited = limited[0];
  if (firstLimited) {
    alerts.push({
      agentId: firstLimited.agentId,
      kind: "rate_spike",
      severity: "info",
      message: `Finance Refunds reached its limit of 20 refunds an hour during INC-2291; ${limited.length} refunds were refused.`,
      data: { limitPerHour: 20, refused: limited.length, incident: "INC-2291" },
      createdAt: new Date(firstLimited.createdAt.getTime() + 30_000),
      resolvedAt: new Date(firstLimited.createdAt.getTime() + 2 * 3_600_000),
      resolvedById: resolvers.finance,
    });
  }
  const burst = decisions.filter((d) => d.burst === "fix-and-merge" && d.effect === "deny");
  const last = burst.at(-1);
  if (last) {
    const outside = [...new Set(burst.filter((d) => d.reason === "not_on_list").map((d) => d.action))];
    const minutes = Math.max(1, Math.round((last.createdAt.getTime() - (burst[0] as DemoDecision).createdAt.getTime()) / 60_000));
    alerts.push({
      agentId: last.agentId,
      kind: "denial_burst",
      severity: "warning",
      message: `Code Review Assistant was denied ${burst.length} times in ${minutes} minutes on acme/api#2291.`,
      data: { denials: burst.length, windowMinutes: minutes, traceId: last.traceId },
      createdAt: new Date(last.createdAt.getTime() + 5_000),
      resolvedAt: new Date(last.createdAt.getTime() + 45 * 60_000),
      resolvedById: resolvers.engineering,
    });
    alerts.push({
      agentId: last.agentId,
      kind: "scope_creep",
      severity: "warning",
      message: `Code Review Assistant asked for ${outside.length} actions outside its list: ${outside.join(", ")}.`,
      data: { actions: outside, traceId: last.traceId },
      createdAt: new Date(last.createdAt.getTime() + 6_000),
      resolvedAt: null,
      resolvedById: null,
    });
  }
  return alerts;
}
