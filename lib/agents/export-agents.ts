// Exports agents with their written lists as an AgentList document (lib/agents/agent-document.ts).
// No secrets: keys appear only as a count in the informative readOnly block. The same loader
// gives import the current state it diffs against.
import "server-only";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { AgentStatus, Maturity } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { AGENT_API_VERSION, AGENT_LIST_KIND, type ExportedAgent, type ExportedDocument } from "@/lib/agents/agent-document";

/** An agent as it stands, with the catalog keys of its lines and the ids import needs. */
export interface StoredAgent {
  id: string;
  status: AgentStatus;
  maturity: Maturity;
  listVersion: number;
  liveKeys: number;
  spec: Omit<ExportedAgent, "readOnly">;
  lineIds: string[];
}

// Loose on purpose: any stored slug can be exported, whatever rules new slugs follow.
const exportOptionsSchema = z.object({ slug: z.string().trim().min(1).max(100).optional() });

export async function exportAgents(client: Db | Tx, options: { slug?: string } = {}, now = new Date()): Promise<ExportedDocument> {
  const parsed = exportOptionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError("not_found", "No such agent.");
  const { slug } = parsed.data;
  const stored = await loadStoredAgents(client, slug ? [slug] : undefined, now);
  if (slug && stored.length === 0) throw new AppError("not_found", `No agent has the slug ${slug}.`);
  return {
    apiVersion: AGENT_API_VERSION,
    kind: AGENT_LIST_KIND,
    agents: stored.map((agent) => ({
      ...agent.spec,
      readOnly: { status: agent.status, maturity: agent.maturity, listVersion: agent.listVersion, liveKeys: agent.liveKeys },
    })),
  };
}

/** The agents with these slugs (all when omitted), by slug; lines in list order. */
export async function loadStoredAgents(client: Db | Tx, slugs?: readonly string[], now = new Date()): Promise<StoredAgent[]> {
  const rows = await client.agent.findMany({
    where: slugs ? { slug: { in: [...slugs] } } : {},
    orderBy: { slug: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      purpose: true,
      environment: true,
      status: true,
      maturity: true,
      listVersion: true,
      technicalOwner: { select: { email: true } },
      owners: { select: { person: { select: { email: true } } } },
      permissions: {
        // The order the console and the engine read a list in.
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        select: {
          id: true,
          effect: true,
          conditions: true,
          onConditionFail: true,
          rateLimitPerMinute: true,
          rateLimitPerHour: true,
          justification: true,
          action: { select: { key: true } },
        },
      },
      _count: { select: { credentials: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    maturity: row.maturity,
    listVersion: row.listVersion,
    liveKeys: row._count.credentials,
    lineIds: row.permissions.map((line) => line.id),
    spec: {
      slug: row.slug,
      name: row.name,
      purpose: row.purpose,
      environment: row.environment,
      owners: row.owners.map((owner) => owner.person.email).sort(),
      technicalOwner: row.technicalOwner?.email ?? null,
      // Exactly the shape permissionLineSchema takes; optional fields only when set.
      permissions: row.permissions.map((line) => ({
        action: line.action.key,
        effect: line.effect,
        ...(line.conditions === null ? {} : { conditions: line.conditions }),
        ...(line.onConditionFail === "deny" ? {} : { onConditionFail: line.onConditionFail }),
        ...(line.rateLimitPerMinute === null ? {} : { rateLimitPerMinute: line.rateLimitPerMinute }),
        ...(line.rateLimitPerHour === null ? {} : { rateLimitPerHour: line.rateLimitPerHour }),
        justification: line.justification,
      })),
    },
  }));
}
