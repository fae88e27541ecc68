// Capability kills (admin): switch off one action or a whole category — for one agent, or for
// every agent — without stopping anything else. The engine denies a killed capability
// (lib/permissions/evaluate-agent.ts); the version bump makes the writer's kill guard refuse any
// decision evaluated before it (the agent's state version for one agent, the fleet version for
// all), and the decision lock taken first means none that starts after the answer is allowed.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { lockDecisionState, STOP_TRANSACTION } from "@/lib/decisions/lock-decision-state";
import { ActionCategory } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { auditRefusal } from "@/lib/kill/audit-refusal";
import { killCapabilitySchema, restoreCapabilitySchema } from "@/lib/kill/kill-schemas";

const CATEGORIES: readonly string[] = Object.values(ActionCategory);

export interface CapabilityChanged {
  killId: string;
  capability: string;
  agentId: string | null;
  agentSlug: string | null;
}

export async function killCapability(person: Caller, actor: Actor, input: unknown): Promise<CapabilityChanged> {
  const parsed = killCapabilitySchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The capability kill is not valid.", fieldsFromZod(parsed.error.issues));
  const { capability, agentId, reason } = parsed.data;

  return auditRefusal(actor, { type: "capability.kill.refused", agentId: await existingAgent(agentId), data: { capability, reason: reason ?? null } }, async () => {
    assertCan(person, "fleet.stop_all");
    return db().$transaction(async (tx) => {
      await lockDecisionState(tx, agentId ? { agentIds: [agentId] } : { fleet: true });
      const agent = agentId ? await agentFor(tx, agentId) : null;
      if (!CATEGORIES.includes(capability) && !(await tx.action.findUnique({ where: { key: capability }, select: { id: true } }))) {
        throw new AppError("validation_failed", "Unknown capability.", [{ path: "capability", message: `No action or category is called ${capability}.` }]);
      }
      // Under the lock taken above, so two equal kills made at once cannot both be written.
      const existing = await tx.capabilityKill.findFirst({ where: { agentId: agentId ?? null, capability, restoredAt: null }, select: { id: true } });
      if (existing) throw new AppError("conflict", `${capability} is already switched off ${agent ? `for ${agent.slug}` : "for every agent"}.`);

      const now = new Date();
      const kill = await tx.capabilityKill.create({
        data: { agentId: agentId ?? null, capability, mode: "forced", reason: reason ?? "", createdById: person.id, createdAt: now },
        select: { id: true },
      });
      const version = await bumpVersion(tx, agentId);
      await tx.stateChange.create({
        data: { kind: "capability_kill", scope: "capability", agentId: agentId ?? null, capability, mode: "forced", reason: reason ?? "", actorPersonId: person.id, createdAt: now },
      });
      await recordAudit(tx, actor, {
        type: "capability.killed",
        agentId: agentId ?? null,
        subjectType: "capability_kill",
        subjectId: kill.id,
        data: { before: { killed: false }, after: { killed: true }, capability, scope: agent ? agent.slug : "every agent", reason: reason ?? null, version },
      });
      return { killId: kill.id, capability, agentId: agentId ?? null, agentSlug: agent?.slug ?? null };
    }, STOP_TRANSACTION);
  });
}

export async function restoreCapability(person: Caller, actor: Actor, input: unknown): Promise<CapabilityChanged> {
  const parsed = restoreCapabilitySchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The restore is not valid.", fieldsFromZod(parsed.error.issues));
  const { killId, reason } = parsed.data;
  const target = await db().capabilityKill.findUnique({ where: { id: killId }, select: { agentId: true, capability: true } });

  return auditRefusal(actor, { type: "capability.restore.refused", agentId: target?.agentId ?? undefined, data: { killId, reason: reason ?? null } }, async () => {
    assertCan(person, "fleet.stop_all");
    if (!target) throw new AppError("not_found", "No such capability kill.");
    const { agentId, capability } = target;
    return db().$transaction(async (tx) => {
      await lockDecisionState(tx, agentId ? { agentIds: [agentId] } : { fleet: true });
      const now = new Date();
      // Conditional: of two restores made at once, one applies.
      const restored = await tx.capabilityKill.updateMany({ where: { id: killId, restoredAt: null }, data: { restoredAt: now, restoredById: person.id } });
      if (restored.count !== 1) throw new AppError("conflict", `${capability} was already restored.`);
      const agent = agentId ? await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: { slug: true } }) : null;
      const version = await bumpVersion(tx, agentId ?? undefined);
      await tx.stateChange.create({
        data: { kind: "capability_restore", scope: "capability", agentId, capability, reason: reason ?? "", actorPersonId: person.id, createdAt: now },
      });
      await recordAudit(tx, actor, {
        type: "capability.restored",
        agentId,
        subjectType: "capability_kill",
        subjectId: killId,
        data: { before: { killed: true }, after: { killed: false }, capability, scope: agent ? agent.slug : "every agent", reason: reason ?? null, version },
      });
      return { killId, capability, agentId, agentSlug: agent?.slug ?? null };
    }, STOP_TRANSACTION);
  });
}

/** The agent's id when it exists, so a refusal about it can reference it. */
async function existingAgent(agentId: string | undefined): Promise<string | undefined> {
  if (!agentId) return undefined;
  return (await db().agent.findUnique({ where: { id: agentId }, select: { id: true } }))?.id;
}

async function agentFor(tx: Tx, agentId: string) {
  const agent = await tx.agent.findUnique({ where: { id: agentId }, select: { slug: true, status: true } });
  if (!agent) throw new AppError("not_found", "No such agent.");
  if (agent.status === "retired") throw new AppError("conflict", `${agent.slug} is retired: nothing it could do is left to switch off.`);
  return agent;
}

/**
 * One agent: its state version, and both its cached state and the cached kill list are dropped.
 * Every agent: the fleet version, and the organisation context (which holds both) is dropped.
 */
async function bumpVersion(tx: Tx, agentId: string | undefined): Promise<number> {
  if (agentId) {
    const { stateVersion } = await tx.agent.update({ where: { id: agentId }, data: { stateVersion: { increment: 1 } }, select: { stateVersion: true } });
    await notifyChange(tx, { kind: "capability", agentId });
    await notifyChange(tx, { kind: "agent", id: agentId, agentId });
    return stateVersion;
  }
  const { version } = await tx.fleetState.update({ where: { id: 1 }, data: { version: { increment: 1 } }, select: { version: true } });
  await notifyChange(tx, { kind: "capability" });
  await notifyChange(tx, { kind: "fleet" });
  return version;
}
