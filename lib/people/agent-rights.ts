// Per-agent rights (DESIGN.md section 3) as data: what an agent's business owners, its
// technical owner and admins may do to it. Global roles live in capabilities.ts.
import "server-only";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

export const AGENT_RIGHTS = {
  // Register, edit identity and owners, change the written list, promote/demote, retire.
  "agent.manage": ["admin"],
  // Create and revoke the agent's API keys (rotation).
  "agent.credentials": ["admin", "owner", "technical_owner"],
  // Press the kill switch, run a kill drill.
  "agent.kill": ["admin", "owner", "technical_owner"],
  // Revive after a kill (with a reason).
  "agent.revive": ["admin", "owner"],
} as const satisfies Record<string, readonly ("admin" | "owner" | "technical_owner")[]>;

export type AgentRight = keyof typeof AGENT_RIGHTS;

export interface AgentRelation {
  isOwner: boolean;
  isTechnicalOwner: boolean;
  deployedIt: boolean;
}

export function hasAgentRight(roles: readonly Role[], relation: AgentRelation, right: AgentRight): boolean {
  const allowed: readonly string[] = AGENT_RIGHTS[right];
  if (allowed.includes("admin") && roles.includes("admin")) return true;
  if (allowed.includes("owner") && relation.isOwner) return true;
  return allowed.includes("technical_owner") && relation.isTechnicalOwner;
}

/** How a person relates to an agent; null when the agent does not exist. */
export async function agentRelation(client: Db | Tx, personId: string, agentId: string): Promise<AgentRelation | null> {
  const agent = await client.agent.findUnique({
    where: { id: agentId },
    select: { technicalOwnerId: true, deployedById: true, owners: { where: { personId }, select: { personId: true } } },
  });
  if (!agent) return null;
  return { isOwner: agent.owners.length > 0, isTechnicalOwner: agent.technicalOwnerId === personId, deployedIt: agent.deployedById === personId };
}

/** Throws not_found for an unknown agent and forbidden without the right; returns the relation. */
export async function assertAgentRight(
  client: Db | Tx,
  person: { id: string; roles: readonly Role[] },
  agentId: string,
  right: AgentRight,
): Promise<AgentRelation> {
  const relation = await agentRelation(client, person.id, agentId);
  if (!relation) throw new AppError("not_found", "No such agent.");
  if (!hasAgentRight(person.roles, relation, right)) throw new AppError("forbidden", "You do not have this right on this agent.");
  return relation;
}
