// The agent registry as the console lists it: search and filters come straight from the URL,
// so anything unrecognised is dropped rather than rejected (a stale link must never 500).
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AgentStatus, Maturity } from "@/lib/generated/prisma/enums";
import { unstorableTextProblem } from "@/lib/http/errors";

const LIMIT = 500;

export const agentFiltersSchema = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    // PostgreSQL cannot compare text holding NUL: such a search is dropped, not a 500.
    .refine((value) => unstorableTextProblem(value) === null)
    .transform((value) => value || undefined)
    .optional()
    .catch(undefined),
  status: z.enum(AgentStatus).optional().catch(undefined),
  maturity: z.enum(Maturity).optional().catch(undefined),
  // A business or technical owner, by person id.
  owner: z.uuid().optional().catch(undefined),
  // Agents with any line of their written list on this system, by system key.
  system: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .optional()
    .catch(undefined),
});

export type AgentFilters = z.infer<typeof agentFiltersSchema>;

const personSummary = { select: { id: true, name: true, email: true } } as const;

export interface AgentListItem {
  id: string;
  slug: string;
  name: string;
  purpose: string;
  status: AgentStatus;
  maturity: Maturity;
  environment: string;
  lastSeenAt: Date | null;
  owners: { id: string; name: string; email: string }[];
  technicalOwner: { id: string; name: string; email: string } | null;
}

/** Agents matching the filters, by name; at most 500 (the registry is searched, not paged). */
export async function listAgents(input: unknown = {}): Promise<{ agents: AgentListItem[]; filters: AgentFilters; truncated: boolean }> {
  const filters = agentFiltersSchema.parse(input ?? {});
  // Prisma passes `contains` to ILIKE as is; escape its wildcards so "50%" or "a_b" mean themselves.
  const term = filters.q?.replace(/[\\%_]/g, "\\$&");
  const where: Prisma.AgentWhereInput = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.maturity ? { maturity: filters.maturity } : {}),
    ...(filters.owner
      ? { AND: [{ OR: [{ owners: { some: { personId: filters.owner } } }, { technicalOwnerId: filters.owner }] }] }
      : {}),
    ...(filters.system ? { permissions: { some: { action: { system: { key: filters.system } } } } } : {}),
    ...(term
      ? {
          OR: (["name", "slug", "purpose"] as const).map((field) => ({
            [field]: { contains: term, mode: "insensitive" as const },
          })),
        }
      : {}),
  };
  const rows = await db().agent.findMany({
    where,
    orderBy: [{ name: "asc" }, { slug: "asc" }],
    take: LIMIT + 1,
    select: {
      id: true,
      slug: true,
      name: true,
      purpose: true,
      status: true,
      maturity: true,
      environment: true,
      lastSeenAt: true,
      technicalOwner: personSummary,
      owners: { orderBy: { createdAt: "asc" }, select: { person: personSummary } },
    },
  });
  const agents = rows.slice(0, LIMIT).map(({ owners, ...agent }) => ({ ...agent, owners: owners.map((owner) => owner.person) }));
  return { agents, filters, truncated: rows.length > LIMIT };
}
