"use server";
// The inbox's server actions: one per use case, each through consoleAction (approvals.decide,
// parse, refusals → form state); the use cases check the role, separation of duties and the
// checkpoint's state again, so a click that lost a race fails cleanly with the reason.
import { z } from "zod";
import { consoleAction } from "@/lib/auth/action";
import { decideCheckpoint, MAX_NOTE_LENGTH } from "@/lib/approvals/decide-checkpoint";
import { DENY_PRESETS, denyNote } from "@/lib/approvals/deny-presets";
import { extendCheckpoint, extendCheckpointSchema } from "@/lib/approvals/extend-checkpoint";
import type { DecideResult } from "./inbox-types";

const decideForm = z.object({
  checkpointId: z.uuid("Unknown checkpoint."),
  verdict: z.enum(["approve", "deny"], { error: "Approve or deny." }),
  preset: z.union([z.enum(DENY_PRESETS, { error: "Pick one of the listed reasons." }), z.literal("")]).optional(),
  note: z.string().trim().max(MAX_NOTE_LENGTH, `Use at most ${MAX_NOTE_LENGTH} characters.`).optional(),
});

export const decideAction = consoleAction("approvals.decide", decideForm, async ({ input, person, actor }) => {
  const note = input.verdict === "deny" ? denyNote(input.preset || undefined, input.note) : input.note || undefined;
  const result = await decideCheckpoint(person, actor, { checkpointId: input.checkpointId, verdict: input.verdict, note });
  const message =
    result.status === "approved"
      ? "Approved. The agent may go ahead."
      : result.status === "denied"
        ? "Denied. The agent has been told why."
        : `Your approval is recorded: ${result.approvals} of ${result.requiredApprovals}; waiting for others.`;
  const data: DecideResult = { status: result.status, approvals: result.approvals, requiredApprovals: result.requiredApprovals, fatigue: result.fatigue ?? null };
  return { message, data };
});

export const extendAction = consoleAction("approvals.decide", extendCheckpointSchema, async ({ input, person, actor }) => {
  const { expiresAt } = await extendCheckpoint(person, actor, input);
  return { message: `Extended: it now expires at ${expiresAt.toISOString().slice(11, 19)} UTC.`, data: { expiresAt: expiresAt.toISOString() } };
});
