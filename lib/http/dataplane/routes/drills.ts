// POST /api/v1/agent/drills/:id/ack: the agent's SDK acknowledges a kill drill it saw in its
// status (no body). The latency from the owner's click to this acknowledgement is measured by the
// database and decides pass or fail.
import "server-only";
import { z } from "zod";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { ackDrill } from "@/lib/kill/ack-drill";

const drillAcknowledged = z
  .object({
    drillId: z.uuid(),
    status: z.enum(["passed", "failed"]).describe("`passed` when acknowledged within the drill's threshold."),
    latencyMs: z.number().int().describe("From the drill's start to this acknowledgement, by the database's clock."),
    thresholdMs: z.number().int(),
    acknowledgedAt: z.iso.datetime(),
  })
  .meta({ id: "DrillAcknowledged" });

export const drillAckRoute = defineRoute({
  method: "POST",
  url: "/agent/drills/:id/ack",
  summary: "Acknowledge a kill drill",
  description:
    "Send no body. Only the drill's own agent can acknowledge it, once: any other drill id is 404, a second acknowledgement 409.",
  tags: ["agent"],
  auth: "agent",
  params: z.object({ id: z.string().describe("The `drill.id` from GET /agent/status or GET /agent/events.") }),
  responses: { 200: drillAcknowledged },
  handler: async ({ params, agent, actor }) => {
    const acked = await ackDrill(agent, actor, params.id);
    return { status: 200, body: { ...acked, acknowledgedAt: acked.acknowledgedAt.toISOString() } };
  },
});
