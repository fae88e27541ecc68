// An admin adds a line at the end of an agent's written list.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/people/assert-can";
import { LINE_SELECT, closeListChange, lineSnapshot, listOrder, openListChange, parseInput } from "@/lib/permissions/list-change";
import { parseLine } from "@/lib/permissions/parse-line";
import { resolveAction } from "@/lib/permissions/resolve-action";

const targetSchema = z.looseObject({ agentId: z.uuid("No such agent.") });

export async function addPermission(person: Caller, actor: Actor, input: unknown): Promise<{ id: string; listVersion: number }> {
  const { agentId, ...fields } = parseInput(targetSchema, input);
  return db().$transaction(async (tx) => {
    await openListChange(tx, person, agentId);
    const line = parseLine(fields);
    const actionId = await resolveAction(tx, line);
    const order = await listOrder(tx, agentId);
    const created = await tx.permission.create({
      data: {
        agentId,
        actionId,
        position: order.length,
        effect: line.effect,
        conditions: (line.conditions as Prisma.InputJsonObject | undefined) ?? undefined,
        onConditionFail: line.onConditionFail,
        rateLimitPerMinute: line.rateLimitPerMinute ?? null,
        rateLimitPerHour: line.rateLimitPerHour ?? null,
        justification: line.justification,
        addedById: person.id,
      },
      select: LINE_SELECT,
    });
    const listVersion = await closeListChange(tx, actor, { type: "permission.added", agentId, permissionId: created.id, before: null, after: lineSnapshot(created) });
    return { id: created.id, listVersion };
  });
}
