// The catalog id of a line's action; an action the catalog does not know is refused (422) on the
// form's own field, not on resolveLineActions' "lines.0.action".
import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { resolveLineActions, type PermissionLine } from "@/lib/permissions/line-schema";

export async function resolveAction(tx: Tx, line: PermissionLine): Promise<string> {
  try {
    const [resolved] = await resolveLineActions(tx, [line]);
    return (resolved as { actionId: string }).actionId;
  } catch (error) {
    if (error instanceof AppError && error.code === "unprocessable") {
      throw new AppError("unprocessable", `"${line.action}" is not in the catalog.`, [{ path: "action", message: `"${line.action}" is not in the catalog` }]);
    }
    throw error;
  }
}
