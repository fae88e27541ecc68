// An admin rewrites one line of an agent's written list; it keeps its place in the list.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";
import { LINE_SELECT, closeListChange, lineSnapshot, openListChange, parseInput } from "@/lib/permissions/list-change";
import { parseLine } from "@/lib/permissions/parse-line";
import { resolveAction } from "@/lib/permissions/resolve-action";

const targetSchema = z.looseObject({ agentId: z.uuid("No such agent."), permissionId: z.uuid("No such line.") });

export async function updatePermission(person: Caller, actor: Actor, input: unknown): Promise<{ id: string; listVersion: number }> {
  const { agentId, permissionId, ...fields } = parseInput(targetSchema, input);
  return db().$transaction(async (tx) => {
    await openListChange(tx, person, agentId);
    const before = await tx.permission.findFirst({ where: { id: permissionId, agentId }, select: LINE_SELECT });
    if (!before) throw new AppError("not_found", "No such line on this agent's list.");
    const line = parseLine(fields);
    const actionId = await resolveAction(tx, line);
    const after = await tx.permission.update({
      where: { id: permissionId },
      data: {
        actionId,
        effect: line.effect,
        // Prisma.DbNull clears the column: a line edited to have no conditions has none.
        conditions: (line.conditions as Prisma.InputJsonObject | undefined) ?? Prisma.DbNull,
        onConditionFail: line.onConditionFail,
        rateLimitPerMinute: line.rateLimitPerMinute ?? null,
        rateLimitPerHour: line.rateLimitPerHour ?? null,
        justification: line.justification,
      },
      select: LINE_SELECT,
    });
    const listVersion = await closeListChange(tx, actor, { type: "permission.updated", agentId, permissionId, before: lineSnapshot(before), after: lineSnapshot(after) });
    return { id: permissionId, listVersion };
  });
}
