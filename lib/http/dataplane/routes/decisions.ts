// POST /api/v1/decisions: ask before acting (DESIGN.md §5, §6). The body is parsed once with zod;
// the decision is evaluated in memory and committed with its reasoning before this answers.
import "server-only";
import { decide } from "@/lib/decisions/decide";
import { arrivalOf } from "@/lib/http/dataplane/agent-auth";
import { agentServicesFor } from "@/lib/http/dataplane/agent-services";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { decisionAnswerSchema, decisionRequestSchema } from "@/lib/http/dataplane/routes/decisions-schema";

export const decisionsRoute = defineRoute({
  method: "POST",
  url: "/decisions",
  summary: "Ask before acting",
  description:
    "Evaluates the action against the agent's state, delegation, written list, limits, maturity and global checkpoints, " +
    "records it with its reasoning, and only then answers allow, deny or pending (with a checkpoint to wait on). " +
    "An unknown action is a deny (unknown_action), not an error. If the decision cannot be recorded the answer is 503: never allow.",
  tags: ["decisions"],
  auth: "agent",
  body: decisionRequestSchema,
  responses: { 200: decisionAnswerSchema },
  handler: async ({ agent, body, services, request }) => {
    const hot = agentServicesFor(services.pool);
    const answer = await decide(
      { pool: hot.pool, contexts: hot.contexts, writer: hot.writer(), resolveDelegation: hot.resolveDelegation },
      agent,
      body,
      {
        audit: { requestId: request.id, ip: request.ip, userAgent: request.headers["user-agent"] ?? null },
        arrivedAt: arrivalOf(request),
      },
    );
    return { status: 200, body: answer };
  },
});
