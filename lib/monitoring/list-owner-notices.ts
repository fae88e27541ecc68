// "Senior acts and the owners are notified" (DESIGN.md §5 rule 6): the non-read actions a
// person's senior agents took without asking anyone, newest first, for the overview. Only the
// agents this person owns or is technical owner of — whatever their roles, an admin included:
// the notice is addressed to the owners; everyone else reads the same decisions in the audit.
// Read per agent through decision(agent_id, created_at), bounded by a window, so one agent's
// millions of reads never make this a table scan.
import "server-only";
import { db } from "@/lib/db/client";
import type { Caller } from "@/lib/people/assert-can";

export const NOTICE_DAYS = 14;
const DAY_MS = 86_400_000;

export interface OwnerNotice {
  id: string;
  createdAt: Date;
  action: string;
  resource: string | null;
  instruction: string;
  agentSlug: string;
  agentName: string;
}

export async function listOwnerNotices(person: Pick<Caller, "id">, options: { now?: Date; limit?: number } = {}): Promise<OwnerNotice[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 10)), 100);
  const since = new Date((options.now ?? new Date()).getTime() - NOTICE_DAYS * DAY_MS);
  return db().$queryRaw<OwnerNotice[]>`
    SELECT d.id::text AS id, d.created_at AS "createdAt", d.action, d.resource, d.instruction,
      a.slug AS "agentSlug", a.name AS "agentName"
    FROM agent a
    CROSS JOIN LATERAL (
      SELECT id, created_at, action, resource, instruction FROM decision
      WHERE agent_id = a.id AND created_at >= ${since} AND notify_owners
      ORDER BY created_at DESC LIMIT ${limit}
    ) d
    WHERE a.technical_owner_id = ${person.id}::uuid
       OR a.id IN (SELECT agent_id FROM agent_owner WHERE person_id = ${person.id}::uuid)
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT ${limit}`;
}
