// One line of an agent's written list as people (forms, imports, the CLI) write it: the action by
// its catalog key. resolveLineActions turns keys into catalog ids and refuses unknown actions.
import "server-only";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { conditionsSchema } from "@/lib/permissions/conditions";

export const PERMISSION_EFFECTS = ["allow", "require_approval", "deny"] as const;

const rate = z.coerce.number().int().min(1).max(1_000_000).optional();

export const permissionLineSchema = z.strictObject({
  action: z.string().trim().min(3).max(200).regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, "Use a catalog action key like crm.contact.read"),
  effect: z.enum(PERMISSION_EFFECTS),
  conditions: conditionsSchema.optional(),
  onConditionFail: z.enum(["deny", "require_approval"]).default("deny"),
  rateLimitPerMinute: rate,
  rateLimitPerHour: rate,
  justification: z.string().trim().min(1, "Say why the agent needs this").max(2000, "Keep the justification under 2,000 characters"),
});

export type PermissionLineInput = z.input<typeof permissionLineSchema>;
export type PermissionLine = z.output<typeof permissionLineSchema>;

/** Maps each line's action key to its catalog id; unknown actions → 422 naming the line. */
export async function resolveLineActions(
  client: Db | Tx,
  lines: readonly PermissionLine[],
  fieldPrefix = "lines",
): Promise<Array<PermissionLine & { actionId: string }>> {
  const keys = [...new Set(lines.map((line) => line.action))];
  const found = await client.action.findMany({ where: { key: { in: keys } }, select: { id: true, key: true } });
  const ids = new Map(found.map((action) => [action.key, action.id]));
  const unknown = lines.flatMap((line, index) =>
    ids.has(line.action) ? [] : [{ path: `${fieldPrefix}.${index}.action`, message: `"${line.action}" is not in the catalog` }],
  );
  if (unknown.length > 0) throw new AppError("unprocessable", "Some lines name actions that are not in the catalog.", unknown);
  return lines.map((line) => ({ ...line, actionId: ids.get(line.action)! }));
}
