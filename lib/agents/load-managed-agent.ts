// The first step of every admin change to an existing agent: the right to manage it, then the
// agent itself, inside the change's transaction. Retired agents are history and stay as they are.
import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { assertAgentRight } from "@/lib/people/agent-rights";
import type { Caller } from "@/lib/people/assert-can";

export async function loadManagedAgent(tx: Tx, person: Caller, agentId: string) {
  await assertAgentRight(tx, person, agentId, "agent.manage");
  const agent = await tx.agent.findUniqueOrThrow({
    where: { id: agentId },
    select: {
      id: true,
      slug: true,
      name: true,
      purpose: true,
      environment: true,
      status: true,
      maturity: true,
      stateVersion: true,
      technicalOwnerId: true,
      owners: { orderBy: { createdAt: "asc" }, select: { personId: true } },
    },
  });
  return agent;
}

export function refuseIfRetired(agent: { status: string; slug: string }): void {
  if (agent.status === "retired") throw new AppError("conflict", `${agent.slug} is retired; a retired agent is kept as it was.`);
}
