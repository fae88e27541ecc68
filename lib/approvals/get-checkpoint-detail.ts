// One checkpoint as an approver reads it before deciding: the exact parameters and resource, the
// agent's reasoning, who it acts for and through which delegations, which rule asked, the votes
// so far, and what the viewer may do. Opening it (`opened`) is a view of the parameters: recorded
// once per opening — a checkpoint_view row (the fatigue guard measures from it) and an audit row —
// while the inbox's background refreshes of an open checkpoint record nothing.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { ChainLink } from "@/lib/decisions/delegation-chain";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionCategory, AgentStatus, CheckpointStatus, Maturity, PermissionEffect, RiskLevel, Verdict } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { can } from "@/lib/people/capabilities";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { SOD_REFUSAL, stakeSql } from "@/lib/approvals/separation-of-duties";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CheckpointDetail {
  id: string;
  decisionId: string;
  status: CheckpointStatus;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  note: string | null;
  requiredApprovals: number;
  approvals: number;
  extension: { at: string; by: string | null; seconds: number } | null;
  agent: { slug: string; name: string; maturity: Maturity; status: AgentStatus; purpose: string; owners: string[]; technicalOwner: string | null; deployedBy: string };
  action: { key: string; name: string | null; system: string | null; category: ActionCategory | null; risk: RiskLevel | null };
  resource: string | null;
  params: Prisma.JsonValue;
  reasoning: { instruction: string; considered: Prisma.JsonValue; chosen: string | null; rationale: string | null };
  onBehalfOf: string | null;
  traceId: string | null;
  delegationChain: ChainLink[] | null;
  askedBy: {
    reason: string;
    policy: { name: string; requiredApprovals: number; expirySeconds: number; maxExtendSeconds: number } | null;
    line: { position: number; effect: PermissionEffect; justification: string } | null;
  };
  votes: Array<{ person: string; verdict: Verdict; note: string | null; at: string }>;
  viewer: {
    /** Whether the buttons are offered; the server checks again on the click. */
    canDecide: boolean;
    /** Why not, when the viewer is an approver who still may not decide this one. */
    cannotDecide: string | null;
    voted: Verdict | null;
    /** Seconds the viewer may extend by now (0: no extension possible). */
    canExtendBy: number;
  };
}

export interface DetailOptions {
  /**
   * true: an opening, always recorded. "first": recorded only if this person never opened it
   * before — what a refresh asks for, since whether a request says "opened" is up to the browser,
   * and nobody may read the parameters without a record. false/absent: not recorded (for callers
   * that show the parameters to no one).
   */
  opened?: boolean | "first";
  now?: Date;
}

export async function getCheckpointDetail(person: Caller, actor: Actor, checkpointId: string, options: DetailOptions = {}): Promise<CheckpointDetail> {
  assertCan(person, "approvals.view");
  if (!UUID.test(checkpointId)) throw new AppError("not_found", "No such checkpoint.");
  const now = options.now ?? new Date();
  const row = await db().checkpoint.findUnique({
    where: { id: checkpointId },
    include: {
      decision: true,
      agent: {
        select: {
          slug: true, name: true, maturity: true, status: true, purpose: true, deployedById: true, technicalOwnerId: true,
          deployedBy: { select: { name: true } },
          technicalOwner: { select: { name: true } },
          owners: { select: { personId: true, person: { select: { name: true } } }, orderBy: { person: { name: "asc" } } },
        },
      },
      policy: { select: { name: true, requiredApprovals: true, expirySeconds: true, maxExtendSeconds: true } },
      extendedBy: { select: { name: true } },
      approvals: { select: { personId: true, verdict: true, note: true, createdAt: true, person: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!row) throw new AppError("not_found", "No such checkpoint.");

  const [action, line] = await Promise.all([
    db().action.findUnique({ where: { key: row.decision.action }, select: { name: true, category: true, risk: true, system: { select: { key: true } } } }),
    row.permissionId
      ? db().permission.findUnique({ where: { id: row.permissionId }, select: { position: true, effect: true, justification: true } })
      : Promise.resolve(null),
  ]);

  if (options.opened === true || (options.opened === "first" && !(await openedBefore(row.id, person.id)))) {
    await recordOpening(actor, person.id, row.id, row.agentId, row.decisionId, row.status, now);
  }

  const { agent, decision } = row;
  const sod =
    agent.deployedById === person.id ||
    agent.technicalOwnerId === person.id ||
    agent.owners.some((owner) => owner.personId === person.id) ||
    (Array.isArray(decision.delegationChain) && (await stakeUpTheChain(row.id, person.id)));
  const voted = row.approvals.find((vote) => vote.personId === person.id)?.verdict ?? null;
  const live = row.status === "pending" && row.expiresAt.getTime() > now.getTime();
  const approver = can(person.roles, "approvals.decide");
  const cannotDecide = !approver
    ? null
    : sod
      ? SOD_REFUSAL
      : voted
        ? `You already voted (${voted}); ${row.requiredApprovals - row.approvals.filter((vote) => vote.verdict === "approve").length} more approval(s) needed from others.`
        : null;
  const extendable = live && approver && !sod && row.extendedAt === null && (row.policy?.maxExtendSeconds ?? 0) > 0;

  return {
    id: row.id,
    decisionId: row.decisionId,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    note: row.note,
    requiredApprovals: row.requiredApprovals,
    approvals: row.approvals.filter((vote) => vote.verdict === "approve").length,
    extension: row.extendedAt && row.extensionSeconds ? { at: row.extendedAt.toISOString(), by: row.extendedBy?.name ?? null, seconds: row.extensionSeconds } : null,
    agent: {
      slug: agent.slug,
      name: agent.name,
      maturity: agent.maturity,
      status: agent.status,
      purpose: agent.purpose,
      owners: agent.owners.map((owner) => owner.person.name),
      technicalOwner: agent.technicalOwner?.name ?? null,
      deployedBy: agent.deployedBy.name,
    },
    action: { key: decision.action, name: action?.name ?? null, system: action?.system.key ?? null, category: action?.category ?? null, risk: action?.risk ?? null },
    resource: decision.resource,
    params: decision.params,
    reasoning: { instruction: decision.instruction, considered: decision.considered, chosen: decision.chosen, rationale: decision.rationale },
    onBehalfOf: decision.onBehalfOf,
    traceId: decision.traceId,
    delegationChain: Array.isArray(decision.delegationChain) ? (decision.delegationChain as unknown as ChainLink[]) : null,
    askedBy: { reason: decision.reason, policy: row.policy, line },
    votes: row.approvals.map((vote) => ({ person: vote.person.name, verdict: vote.verdict, note: vote.note, at: vote.createdAt.toISOString() })),
    viewer: {
      canDecide: live && approver && !sod && !voted,
      cannotDecide: live ? cannotDecide : null,
      voted,
      canExtendBy: extendable ? row.policy!.maxExtendSeconds : 0,
    },
  };
}

async function stakeUpTheChain(checkpointId: string, personId: string): Promise<boolean> {
  const [row] = await db().$queryRaw<Array<{ stake: boolean }>>`SELECT ${stakeSql(personId)} AS stake FROM checkpoint c WHERE c.id = ${checkpointId}::uuid`;
  return row?.stake === true;
}

async function openedBefore(checkpointId: string, personId: string): Promise<boolean> {
  const view = await db().checkpointView.findUnique({ where: { checkpointId_personId: { checkpointId, personId } }, select: { opens: true } });
  return view !== null;
}

async function recordOpening(actor: Actor, personId: string, checkpointId: string, agentId: string, decisionId: string, status: CheckpointStatus, now: Date) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO checkpoint_view (checkpoint_id, person_id, first_opened_at, last_opened_at)
      VALUES (${checkpointId}::uuid, ${personId}::uuid, ${now}, ${now})
      ON CONFLICT (checkpoint_id, person_id) DO UPDATE SET last_opened_at = EXCLUDED.last_opened_at, opens = checkpoint_view.opens + 1`;
    await recordAudit(tx, actor, { type: "checkpoint.viewed", agentId, subjectType: "checkpoint", subjectId: checkpointId, data: { decisionId, status } });
  });
}
