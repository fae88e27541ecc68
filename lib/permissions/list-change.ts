// What every change to an agent's written list shares: the admin check, a lock on the agent so
// concurrent edits apply one after another, the refusal to change a retired agent, contiguous
// positions, the list version bump and the audit row — all inside the caller's transaction.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";
import { assertAgentRight } from "@/lib/people/agent-rights";

export const LINE_SELECT = {
  id: true,
  position: true,
  effect: true,
  conditions: true,
  onConditionFail: true,
  rateLimitPerMinute: true,
  rateLimitPerHour: true,
  justification: true,
  action: { select: { key: true } },
} as const satisfies Prisma.PermissionSelect;

type LineRow = Prisma.PermissionGetPayload<{ select: typeof LINE_SELECT }>;

/** A line as the audit records it, before or after a change. */
export function lineSnapshot(row: LineRow): Prisma.InputJsonObject {
  return {
    id: row.id,
    action: row.action.key,
    position: row.position,
    effect: row.effect,
    conditions: (row.conditions as Prisma.InputJsonValue | null) ?? null,
    onConditionFail: row.onConditionFail,
    rateLimitPerMinute: row.rateLimitPerMinute,
    rateLimitPerHour: row.rateLimitPerHour,
    justification: row.justification,
  };
}

/** Parses `schema` or throws a 400 naming the fields. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", fieldsFromZod(parsed.error.issues));
  return parsed.data;
}

/**
 * Checks the person may manage the agent (404 unknown, 403 not an admin), then locks the agent's
 * row for the rest of the transaction and refuses retired agents (409).
 */
export async function openListChange(tx: Tx, person: Caller, agentId: string): Promise<void> {
  await assertAgentRight(tx, person, agentId, "agent.manage");
  const rows = await tx.$queryRaw<Array<{ status: string }>>`SELECT status::text AS status FROM agent WHERE id = ${agentId}::uuid FOR UPDATE`;
  const status = rows[0]?.status;
  if (status === undefined) throw new AppError("not_found", "No such agent.");
  if (status === "retired") throw new AppError("conflict", "This agent is retired: its written list can no longer change.");
}

/** Gives the agent's lines positions 0…n-1 in `orderedIds` order, touching only lines that move. */
export async function renumber(tx: Tx, agentId: string, orderedIds: readonly string[]): Promise<void> {
  const current = await tx.permission.findMany({ where: { agentId }, select: { id: true, position: true } });
  const positions = new Map(current.map((row) => [row.id, row.position]));
  for (const [index, id] of orderedIds.entries()) {
    if (positions.get(id) !== index) await tx.permission.update({ where: { id }, data: { position: index } });
  }
}

/** The agent's line ids in list order. */
export async function listOrder(tx: Tx, agentId: string): Promise<string[]> {
  const rows = await tx.permission.findMany({ where: { agentId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }], select: { id: true } });
  return rows.map((row) => row.id);
}

/** Bumps the list version and appends the audit row; returns the new version. */
export async function closeListChange(
  tx: Tx,
  actor: Actor,
  change: { type: "permission.added" | "permission.updated" | "permission.removed" | "permission.moved"; agentId: string; permissionId: string; before: Prisma.InputJsonValue | null; after: Prisma.InputJsonValue | null },
): Promise<number> {
  const { listVersion } = await tx.agent.update({ where: { id: change.agentId }, data: { listVersion: { increment: 1 } }, select: { listVersion: true } });
  await recordAudit(tx, actor, {
    type: change.type,
    agentId: change.agentId,
    subjectType: "permission",
    subjectId: change.permissionId,
    data: { agentId: change.agentId, before: change.before, after: change.after, listVersion },
  });
  // Delivered at commit: every instance caching this agent's list for decisions drops it.
  await notifyChange(tx, { kind: "list", agentId: change.agentId });
  return listVersion;
}
