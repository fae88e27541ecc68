// POST /api/v1/decisions/:id/outcome: the agent reports what happened after it acted.
import "server-only";
import { z } from "zod";
import { recordOutcome } from "@/lib/decisions/record-outcome";
import { defineRoute } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";
import { checkJson, storable, type JsonIssue } from "@/lib/http/dataplane/routes/storable";

export const MAX_SUMMARY_LENGTH = 2000;
export const MAX_DATA_BYTES = 16 * 1024;
export const MAX_DATA_DEPTH = 8;

/** Nesting depth of a JSON value: a scalar is 0, `{}` is 1. Stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_DATA_DEPTH + 1): number {
  if (value === null || typeof value !== "object") return 0;
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const inner of Object.values(value)) {
    deepest = Math.max(deepest, jsonDepth(inner, limit - 1));
    if (deepest >= limit) break;
  }
  return 1 + deepest;
}

const outcomeData = z
  .record(z.string(), z.unknown())
  .superRefine((data, ctx) => {
    if (jsonDepth(data) > MAX_DATA_DEPTH) ctx.addIssue({ code: "custom", message: `Nest at most ${MAX_DATA_DEPTH} levels deep.` });
    else if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) ctx.addIssue({ code: "custom", message: `Keep it under ${MAX_DATA_BYTES / 1024} KiB as JSON.` });
    else {
      const issues: JsonIssue[] = [];
      checkJson(data, [], 1, issues, MAX_DATA_DEPTH, `Nest at most ${MAX_DATA_DEPTH} levels deep.`);
      for (const issue of issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  })
  .describe(`Anything structured worth keeping (a JSON object, ≤ ${MAX_DATA_BYTES / 1024} KiB, ≤ ${MAX_DATA_DEPTH} levels deep).`);

const outcomeReport = z
  .object({
    status: z.enum(["succeeded", "failed", "skipped"]),
    summary: storable(z.string().max(MAX_SUMMARY_LENGTH, `Use at most ${MAX_SUMMARY_LENGTH} characters.`)).optional().describe("One or two sentences for people reading the audit."),
    data: outcomeData.optional(),
  })
  .meta({ id: "OutcomeReport" });

const outcomeRecorded = z
  .object({
    decisionId: z.uuid(),
    status: z.enum(["succeeded", "failed", "skipped"]),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: "OutcomeRecorded" });

export const outcomeRoute = defineRoute({
  method: "POST",
  url: "/decisions/:id/outcome",
  summary: "Report what happened after an allowed action",
  description:
    "Only the agent that asked may report, once (a second report is 409). Reporting on a decision that did not allow the action " +
    "(a deny, or a checkpoint that was not approved) is 409 and is recorded in the audit as an anomaly.",
  tags: ["decisions"],
  auth: "agent",
  params: z.object({ id: z.string().describe("The decisionId from POST /decisions.") }),
  body: outcomeReport,
  responses: { 200: outcomeRecorded },
  handler: async ({ params, body, actor, services }) => {
    if (actor.type !== "agent") throw new AppError("unauthorized", "An agent key is required.");
    const recorded = await recordOutcome(services.pool, actor, params.id, body);
    return { status: 200, body: { ...recorded, recordedAt: recorded.recordedAt.toISOString() } };
  },
});
