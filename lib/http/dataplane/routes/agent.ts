// GET /api/v1/agent: who this key belongs to (DESIGN.md §6). Answered from the instance's agent
// cache. A draft, suspended, killed or retired agent still gets its answer — its decisions are
// what is refused — so an agent can tell "I was stopped" from "my key is wrong".
import "server-only";
import { z } from "zod";
import { agentServicesFor } from "@/lib/http/dataplane/agent-services";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";

const person = z.object({ id: z.uuid(), name: z.string(), email: z.string() }).meta({ id: "PersonRef" });

const agentIdentity = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(["draft", "active", "suspended", "killed", "retired"]),
    maturity: z.enum(["intern", "junior", "senior", "principal"]),
    owners: z.array(person).describe("The agent's business owners."),
    listVersion: z.number().int().describe("The version of the agent's written list; it goes up with every change."),
    technicalOwner: person.nullable().describe("Extension: the person who runs the agent."),
    environment: z.string().describe("Extension: where the agent runs, e.g. production."),
  })
  .meta({ id: "AgentIdentity" });

export const agentRoute = defineRoute({
  method: "GET",
  url: "/agent",
  summary: "Who am I: the agent this key belongs to",
  description: "Answers for an agent in any state; a draft, suspended, killed or retired agent's decisions are denied with that reason.",
  tags: ["agent"],
  auth: "agent",
  responses: { 200: agentIdentity },
  handler: async ({ agent, services }) => {
    const cached = await agentServicesFor(services.pool)
      .contexts.agent(agent.agentId)
      .catch(() => {
        throw new AppError("unavailable", "The agent could not be loaded; try again shortly.");
      });
    if (!cached) throw new AppError("unauthorized", "A valid agent key is required.");
    return {
      status: 200,
      body: {
        id: cached.engine.id,
        slug: cached.engine.slug,
        name: cached.name,
        status: cached.engine.status,
        maturity: cached.engine.maturity,
        owners: cached.owners,
        listVersion: cached.listVersion,
        technicalOwner: cached.technicalOwner,
        environment: cached.environment,
      },
    };
  },
});
