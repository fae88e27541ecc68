// The inbox's and the history's filters as they arrive in the URL. A stale or hand-edited link
// must never 500, so anything unrecognised is dropped rather than rejected. Pages are keyset
// cursors ("<epoch ms>_<id>"), so page 200 of 10,000 checkpoints costs what page 1 does.
import { z } from "zod";
import { CheckpointStatus, RiskLevel } from "@/lib/generated/prisma/enums";

const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/)
  .optional()
  .catch(undefined);

const systemKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
  .optional()
  .catch(undefined);

const CURSOR = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export interface Cursor {
  at: Date;
  id: string;
}

const cursor = z
  .string()
  .trim()
  .transform((value, context): Cursor => {
    const match = CURSOR.exec(value);
    const at = match ? new Date(Number(match[1])) : null;
    if (!match || !at || Number.isNaN(at.getTime())) {
      context.addIssue({ code: "custom", message: "Not a page cursor." });
      return z.NEVER;
    }
    return { at, id: match[2]!.toLowerCase() };
  })
  .optional()
  .catch(undefined);

export const inboxFiltersSchema = z.object({
  agent: slug,
  system: systemKey,
  risk: z.enum(RiskLevel).optional().catch(undefined),
  after: cursor,
});

export type InboxFilters = z.infer<typeof inboxFiltersSchema>;

export const HISTORY_OUTCOMES = ["approved", "denied", "expired", "cancelled"] as const satisfies readonly CheckpointStatus[];

export const historyFiltersSchema = z.object({
  agent: slug,
  system: systemKey,
  risk: z.enum(RiskLevel).optional().catch(undefined),
  outcome: z.enum(HISTORY_OUTCOMES).optional().catch(undefined),
  before: cursor,
});

export type HistoryFilters = z.infer<typeof historyFiltersSchema>;

export function encodeCursor(at: Date, id: string): string {
  return `${at.getTime()}_${id}`;
}

/** The filters as URL parameters (cursor excluded), for links and query keys. */
export function filterParams(filters: { agent?: string; system?: string; risk?: string; outcome?: string }): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["agent", "system", "risk", "outcome"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}
