// An admin moves one line of an agent's written list to another place. Order matters: when
// several lines name the same action, the first whose conditions hold decides.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";
import { closeListChange, listOrder, openListChange, parseInput, renumber } from "@/lib/permissions/list-change";

const inputSchema = z.strictObject({
  agentId: z.uuid("No such agent."),
  permissionId: z.uuid("No such line."),
  /** The place it moves to, counted from 0; past the end means last. */
  to: z.coerce.number().int("Give a whole number").min(0, "Give a place from 0 up"),
});

export async function movePermission(person: Caller, actor: Actor, input: unknown): Promise<{ listVersion: number; position: number }> {
  const { agentId, permissionId, to } = parseInput(inputSchema, input);
  return db().$transaction(async (tx) => {
    await openListChange(tx, person, agentId);
    const order = await listOrder(tx, agentId);
    const from = order.indexOf(permissionId);
    if (from === -1) throw new AppError("not_found", "No such line on this agent's list.");
    const position = Math.min(to, order.length - 1);
    if (position === from) {
      // Nothing moves, so nothing is written or audited.
      const agent = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: { listVersion: true } });
      return { listVersion: agent.listVersion, position };
    }
    order.splice(from, 1);
    order.splice(position, 0, permissionId);
    await renumber(tx, agentId, order);
    const listVersion = await closeListChange(tx, actor, {
      type: "permission.moved",
      agentId,
      permissionId,
      before: { position: from },
      after: { position, order },
    });
    return { listVersion, position };
  });
}
