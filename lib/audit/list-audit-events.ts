// The newest audit events, optionally for one agent (by slug) or one event type. Ordered by id,
// which follows append order and rides the (agent_id, id) and (type, id) indexes.
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { ActorType } from "@/lib/generated/prisma/enums";

const LIMIT = 100;
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => value || undefined)
    .optional()
    .catch(undefined);

export const auditFiltersSchema = z.object({
  agent: optionalText(100),
  type: optionalText(100),
});

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export interface AuditEventRow {
  id: string;
  createdAt: Date;
  actorType: ActorType;
  /** A person's name, an agent's slug, or "system". */
  actorLabel: string;
  type: string;
  agent: { slug: string; name: string } | null;
  subjectType: string | null;
  subjectId: string | null;
  traceId: string | null;
}

export async function listAuditEvents(input: unknown = {}): Promise<{ events: AuditEventRow[]; filters: AuditFilters }> {
  const filters = auditFiltersSchema.parse(input ?? {});
  const rows = await db().auditEvent.findMany({
    where: {
      ...(filters.agent ? { agent: { slug: filters.agent } } : {}),
      ...(filters.type ? { type: filters.type } : {}),
    },
    orderBy: { id: "desc" },
    take: LIMIT,
    select: {
      id: true,
      createdAt: true,
      actorType: true,
      actorAgentId: true,
      type: true,
      subjectType: true,
      subjectId: true,
      traceId: true,
      actorPerson: { select: { name: true, email: true } },
      agent: { select: { slug: true, name: true } },
    },
  });
  // actor_agent_id is not a relation in the schema, so the acting agents' slugs are looked up here.
  const actorAgentIds = [...new Set(rows.flatMap((row) => (row.actorAgentId ? [row.actorAgentId] : [])))];
  const actorAgents = actorAgentIds.length
    ? await db().agent.findMany({ where: { id: { in: actorAgentIds } }, select: { id: true, slug: true } })
    : [];
  const slugById = new Map(actorAgents.map((agent) => [agent.id, agent.slug]));
  const events = rows.map((row) => ({
    id: row.id.toString(),
    createdAt: row.createdAt,
    actorType: row.actorType,
    actorLabel:
      row.actorType === "person"
        ? (row.actorPerson?.name ?? "unknown person")
        : row.actorType === "agent"
          ? (slugById.get(row.actorAgentId ?? "") ?? "unknown agent")
          : "system",
    type: row.type,
    agent: row.agent,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    traceId: row.traceId,
  }));
  return { events, filters };
}
