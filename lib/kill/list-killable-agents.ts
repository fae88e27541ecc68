// The overview's kill list: the live agents this person holds the kill switch of (all of them for
// an admin; otherwise those they own or are technical owner of). The scope is in the query.
import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/people/assert-can";
import { AGENT_RIGHTS } from "@/lib/people/agent-rights";

const LIMIT = 100;

export async function listKillableAgents(person: Caller) {
  const rights: readonly string[] = AGENT_RIGHTS["agent.kill"];
  const mine: Prisma.AgentWhereInput[] = [];
  if (rights.includes("owner")) mine.push({ owners: { some: { personId: person.id } } });
  if (rights.includes("technical_owner")) mine.push({ technicalOwnerId: person.id });
  const admin = rights.includes("admin") && person.roles.includes("admin");
  return db().agent.findMany({
    where: { status: { in: ["active", "suspended"] }, ...(admin ? {} : { OR: mine }) },
    orderBy: [{ status: "asc" }, { name: "asc" }],
    take: LIMIT,
    select: { id: true, slug: true, name: true, status: true, maturity: true, lastSeenAt: true },
  });
}

export type KillableAgent = Awaited<ReturnType<typeof listKillableAgents>>[number];
