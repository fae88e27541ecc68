// POST /api/v1/delegations: let another agent act for this one on a narrowed set of actions.
import "server-only";
import { z } from "zod";
import { createDelegation } from "@/lib/delegations/create-delegation";
import { delegationTokenSchema } from "@/lib/delegations/delegation-token";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";
import { storable } from "@/lib/http/dataplane/routes/storable";

const MAX_TEXT = 16 * 1024;

const reasoning = z
  .object({
    instruction: storable(z.string().trim().min(1, "Say which instruction you are following.").max(MAX_TEXT)),
    considered: z.array(storable(z.string().max(MAX_TEXT))).max(50).optional(),
    chosen: storable(z.string().max(MAX_TEXT)).optional(),
    rationale: storable(z.string().max(MAX_TEXT)).optional(),
  })
  .describe("Why this delegation: the same shape as a decision's reasoning; `instruction` is required.");

const delegationRequest = z
  .object({
    toAgent: storable(z.string().trim().min(1).max(200)).describe("The slug (or id) of the agent that may act for you."),
    actions: z
      .array(storable(z.string().trim().min(1).max(200)))
      .min(1, "Delegate at least one action.")
      .max(50, "Delegate at most 50 actions.")
      .describe("Catalog action keys, each on your own written list (and, under a parent delegation, in it)."),
    ttlSeconds: z.number().int().min(60).max(86_400).describe("How long the delegation lasts: 60 s to 24 h (never past a parent delegation)."),
    reasoning,
    parentToken: delegationTokenSchema
      .optional()
      .describe("Extension: when you yourself act under a delegation, its token. The new one is then a subset of it, one level deeper (at most 4)."),
  })
  .meta({ id: "DelegationRequest" });

const delegationCreated = z
  .object({
    delegationId: z.uuid(),
    token: z.string().describe("Give this to the other agent; it passes it as `delegationToken`. Shown once, stored only as a hash."),
    expiresAt: z.iso.datetime(),
    toAgentId: z.uuid(),
    actions: z.array(z.string()),
    depth: z.number().int().describe("1 for a direct delegation, one more per parent."),
  })
  .meta({ id: "DelegationCreated" });

export const delegationRoute = defineRoute({
  method: "POST",
  url: "/delegations",
  summary: "Delegate a narrowed set of actions to another agent",
  description:
    "403 when you may not do an action yourself (or it is outside your parent delegation), 422 for an unknown or self target or an unknown action, " +
    "409 when the target agent is not active. Every decision made under the token is judged against every agent of the chain.",
  tags: ["delegations"],
  auth: "agent",
  body: delegationRequest,
  responses: { 201: delegationCreated },
  handler: async ({ body, agent, actor }) => {
    if (actor.type !== "agent") throw new AppError("unauthorized", "An agent key is required.");
    const created = await createDelegation(agent.agentId, actor, body);
    return { status: 201, body: { ...created, expiresAt: created.expiresAt.toISOString() } };
  },
});
