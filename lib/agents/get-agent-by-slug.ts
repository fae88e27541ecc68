// One agent as its console page shows it: identity, people, written list, credentials (never
// their secrets) and latest decisions. null when no agent has that slug.
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { unstorableTextProblem } from "@/lib/http/errors";

// A slug from a URL may hold anything; one PostgreSQL could not even compare (NUL) finds nothing.
const slugSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((slug) => unstorableTextProblem(slug) === null);
const LATEST_DECISIONS = 20;
const person = { select: { id: true, name: true, email: true } } as const;

async function findAgent(slug: string) {
  return db().agent.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      purpose: true,
      environment: true,
      status: true,
      maturity: true,
      stateReason: true,
      stateChangedAt: true,
      listVersion: true,
      lastSeenAt: true,
      createdAt: true,
      deployedBy: person,
      technicalOwner: person,
      owners: { orderBy: { createdAt: "asc" }, select: { person } },
      permissions: {
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        select: {
          id: true,
          effect: true,
          conditions: true,
          onConditionFail: true,
          rateLimitPerMinute: true,
          rateLimitPerHour: true,
          justification: true,
          createdAt: true,
          addedBy: person,
          action: { select: { key: true, name: true, category: true, risk: true } },
        },
      },
      // Listed field by field: the secret hash must never leave the database through this page.
      credentials: {
        orderBy: { createdAt: "desc" },
        select: { id: true, label: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
      },
      decisions: {
        orderBy: { createdAt: "desc" },
        take: LATEST_DECISIONS,
        select: { id: true, createdAt: true, action: true, resource: true, effect: true, reason: true, instruction: true, latencyMicros: true },
      },
    },
  });
}

export type AgentDetail = Omit<NonNullable<Awaited<ReturnType<typeof findAgent>>>, "owners"> & {
  owners: { id: string; name: string; email: string }[];
};

export async function getAgentBySlug(slug: unknown): Promise<AgentDetail | null> {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) return null;
  const agent = await findAgent(parsed.data);
  if (!agent) return null;
  return { ...agent, owners: agent.owners.map((owner) => owner.person) };
}
