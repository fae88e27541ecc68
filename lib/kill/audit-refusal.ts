// Someone pressing a kill switch they do not hold is worth knowing about: the refusal is audited.
// The use case's own transaction has rolled back by then, so the row is written on its own —
// and if even that fails, the failure is what the caller sees (a refusal is never silently lost).
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

export interface Refusal {
  /** e.g. "agent.kill.refused". */
  type: string;
  /** Only for an agent known to exist (the audit row references it). */
  agentId?: string;
  data?: Record<string, Prisma.InputJsonValue | null>;
}

/** Runs the use case; a `forbidden` refusal is audited, then rethrown unchanged. */
export async function auditRefusal<T>(actor: Actor, refusal: Refusal, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden") {
      await recordAudit(db(), actor, {
        type: refusal.type,
        agentId: refusal.agentId ?? null,
        subjectType: refusal.agentId ? "agent" : "fleet",
        subjectId: refusal.agentId,
        data: { ...refusal.data, refused: error.message },
      });
    }
    throw error;
  }
}
