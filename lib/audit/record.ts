// Appends one audit event. Call it with the transaction client of the change it records, so
// a change that cannot be audited does not happen. Rows are appended unchained; the sealer
// (issue 7) chains them later.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db/client";

/** Who did it and through what: threaded from the request wrapper into every use case. */
export type Actor =
  | { type: "person"; personId: string; requestId?: string; ip?: string; userAgent?: string; via?: "console" | "cli" }
  | { type: "agent"; agentId: string; requestId?: string; ip?: string; userAgent?: string }
  | { type: "system"; requestId?: string; via?: string };

export interface AuditInput {
  type: string;
  agentId?: string | null;
  subjectType?: string;
  subjectId?: string;
  data?: Prisma.InputJsonValue;
  reasoning?: Prisma.InputJsonValue;
  traceId?: string;
  parentId?: string;
}

export async function recordAudit(client: Tx | Db, actor: Actor, event: AuditInput): Promise<void> {
  const via = "via" in actor ? actor.via : undefined;
  await client.auditEvent.create({
    data: {
      actorType: actor.type,
      actorPersonId: actor.type === "person" ? actor.personId : null,
      actorAgentId: actor.type === "agent" ? actor.agentId : null,
      requestId: actor.requestId ?? null,
      ip: "ip" in actor ? (actor.ip ?? null) : null,
      userAgent: "userAgent" in actor ? (actor.userAgent ?? null) : null,
      agentId: event.agentId ?? (actor.type === "agent" ? actor.agentId : null),
      type: event.type,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      data: via ? { ...(asObject(event.data)), via } : event.data,
      reasoning: event.reasoning,
      traceId: event.traceId ?? null,
      parentId: event.parentId ?? null,
    },
  });
}

function asObject(value: Prisma.InputJsonValue | undefined): Record<string, Prisma.InputJsonValue> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Prisma.InputJsonValue>) : value === undefined ? {} : { value };
}
