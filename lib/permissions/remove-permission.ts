// An admin removes one line of an agent's written list; the lines after it move up.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";
import { LINE_SELECT, closeListChange, lineSnapshot, listOrder, openListChange, parseInput, renumber } from "@/lib/permissions/list-change";

const inputSchema = z.strictObject({ agentId: z.uuid("No such agent."), permissionId: z.uuid("No such line.") });

export async function removePermission(person: Caller, actor: Actor, input: unknown): Promise<{ listVersion: number }> {
  const { agentId, permissionId } = parseInput(inputSchema, input);
  return db().$transaction(async (tx) => {
    await openListChange(tx, person, agentId);
    const before = await tx.permission.findFirst({ where: { id: permissionId, agentId }, select: LINE_SELECT });
    if (!before) throw new AppError("not_found", "No such line on this agent's list.");
    await tx.permission.delete({ where: { id: permissionId } });
    await renumber(tx, agentId, await listOrder(tx, agentId));
    const listVersion = await closeListChange(tx, actor, { type: "permission.removed", agentId, permissionId, before: lineSnapshot(before), after: null });
    return { listVersion };
  });
}
