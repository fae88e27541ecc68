// The contract of POST /api/v1/decisions (DESIGN.md §6): the request body and the answer. Limits
// are part of it: the whole body ≤ 64 KiB (the data plane refuses more with 413), every string
// ≤ 16 KiB of UTF-8, params a JSON object nested at most 8 levels. Strings must be storable as
// they are (no NUL, no unpaired surrogate), so a body that passes here is never refused later.
import { z } from "zod";
import { MAX_STRING_BYTES, checkJson, text, type JsonIssue } from "@/lib/http/dataplane/routes/storable";

export { MAX_STRING_BYTES };
export const MAX_PARAMS_DEPTH = 8;

const params = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    const issues: JsonIssue[] = [];
    checkJson(value, [], 1, issues, MAX_PARAMS_DEPTH, `Nest params at most ${MAX_PARAMS_DEPTH} levels deep.`);
    for (const issue of issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .describe(`Parameters of the action: a JSON object nested at most ${MAX_PARAMS_DEPTH} levels, strings ≤ 16 KiB.`);

export const reasoningSchema = z
  .object({
    instruction: text({ required: "Say which instruction the agent is following." }).describe("The instruction the agent is following (required)."),
    considered: z.array(text()).max(50, "List at most 50 options.").optional().describe("The options the agent weighed."),
    chosen: text().optional().describe("What it chose."),
    rationale: text().optional().describe("Why."),
  })
  .describe("Why the agent wants to act; kept with the decision in the audit.");

export const decisionRequestSchema = z
  .object({
    action: text({ maxBytes: 200, required: "Name the action, e.g. crm.contact.read." }).describe(
      "A catalog action key. An action the catalog does not know is denied (reason unknown_action), not refused.",
    ),
    resource: text().optional().describe('What the action touches, e.g. "tickets/4711".'),
    params: params.optional(),
    reasoning: reasoningSchema,
    onBehalfOf: text({ maxBytes: 1024 }).optional().describe("The user the agent acts for, if any."),
    traceId: text({ maxBytes: 200 }).optional().describe("Groups the decisions of one task or conversation."),
    parentDecisionId: z.uuid("Use the decisionId of an earlier decision.").optional().describe("The decision this one follows from."),
    delegationToken: text({ maxBytes: 1024 }).optional().describe("The token of a delegation another agent gave this one."),
  })
  .meta({ id: "DecisionRequest" });

export type DecisionRequest = z.output<typeof decisionRequestSchema>;

export const decisionAnswerSchema = z
  .object({
    decisionId: z.uuid(),
    effect: z.enum(["allow", "deny", "pending"]).describe("pending: wait on the checkpoint (GET /checkpoints/{id})."),
    reason: z.string().describe("A stable reason code, e.g. allowed_by_list, not_on_list, rate_limited, policy_checkpoint."),
    checkpointId: z.uuid().optional().describe("Present when effect is pending."),
    expiresAt: z.iso.datetime().optional().describe("When the checkpoint expires (denied unless approved by then)."),
  })
  .meta({ id: "DecisionAnswer" });

export type DecisionAnswer = z.input<typeof decisionAnswerSchema>;
