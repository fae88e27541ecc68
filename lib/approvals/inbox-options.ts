// What the approvals filters offer: the agents with checkpoints waiting (with how many) for the
// inbox, or with any checkpoint at all for the history; and the catalog's systems.
import "server-only";
import { pool } from "@/lib/db/pool";

export interface InboxOptions {
  agents: Array<{ slug: string; name: string; pending: number }>;
  systems: Array<{ key: string; name: string }>;
}

const PENDING_AGENTS = `
SELECT ag.slug, ag.name, count(*)::int AS pending FROM checkpoint c JOIN agent ag ON ag.id = c.agent_id
WHERE c.status = 'pending' AND c.expires_at > $1 GROUP BY ag.slug, ag.name ORDER BY ag.name, ag.slug`;

const ANY_AGENTS = `
SELECT ag.slug, ag.name, 0 AS pending FROM agent ag
WHERE EXISTS (SELECT 1 FROM checkpoint c WHERE c.agent_id = ag.id) ORDER BY ag.name, ag.slug`;

export async function listInboxOptions(now: Date = new Date(), scope: "pending" | "any" = "pending"): Promise<InboxOptions> {
  const [agents, systems] = await Promise.all([
    scope === "pending" ? pool().query<InboxOptions["agents"][number]>(PENDING_AGENTS, [now]) : pool().query<InboxOptions["agents"][number]>(ANY_AGENTS),
    pool().query<{ key: string; name: string }>(`SELECT key, name FROM system ORDER BY name, key`),
  ]);
  return { agents: agents.rows, systems: systems.rows };
}
