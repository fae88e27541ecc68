// GET /api/v1/checkpoints/:id: an agent waits for people. With ?wait=SECONDS (≤ 30) the answer is
// held while the checkpoint is pending and given as soon as a person decides (a change
// notification wakes the wait, on whichever instance holds it), the checkpoint expires, or the
// wait ends — then it says `pending` and the agent asks again.
import "server-only";
import { z } from "zod";
import { CheckpointWaiters, type ChangeSource } from "@/lib/approvals/checkpoint-waiters";
import { readCheckpointStatus, type CheckpointView } from "@/lib/approvals/checkpoint-status";
import { defineRoute, type Route } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";

export const MAX_WAIT_SECONDS = 30;
/** Without a working change listener a wait re-reads this often, so a decision is never missed. */
const FALLBACK_POLL_MS = 1_000;
/** Past expiresAt, so the read that follows finds the checkpoint overdue. */
const EXPIRY_SLACK_MS = 5;
const OVERDUE_RETRY_MS = 50;

const checkpointSchema = z
  .object({
    status: z.enum(["pending", "approved", "denied", "expired"]).describe("`denied` includes checkpoints cancelled by a kill, suspension or retirement (the note says so)."),
    decidedBy: z.string().optional().describe("Display name of the person whose vote settled it (absent for an expiry or cancellation)."),
    note: z.string().optional().describe("The decider's note, or why it expired or was cancelled."),
    decidedAt: z.iso.datetime().optional(),
    decisionId: z.uuid().describe("The decision this checkpoint belongs to: act, and report the outcome, under this id only."),
    expiresAt: z.iso.datetime().describe("When a pending checkpoint turns into `expired` (a deny)."),
    consumedAt: z.iso.datetime().optional().describe("When the agent first read `approved`; the approval is used once."),
  })
  .meta({ id: "Checkpoint" });

const params = z.object({ id: z.string().describe("The checkpointId of a pending decision.") });
const query = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS, `Wait at most ${MAX_WAIT_SECONDS} seconds; ask again after.`)
    .optional()
    .describe(`Hold the answer up to this many seconds (0–${MAX_WAIT_SECONDS}) while the checkpoint is pending.`),
});

/**
 * The route with its own waiters (one map per data plane); the default list's uses the process's
 * change listener. A test gives each "instance" its own listener, or its own waiters to inspect.
 */
export function checkpointRoute(options: { changes?: ChangeSource; maxWaitersPerAgent?: number; waiters?: CheckpointWaiters } = {}): Route {
  const waiters = options.waiters ?? new CheckpointWaiters(options.changes, options.maxWaitersPerAgent);
  return defineRoute({
    method: "GET",
    url: "/checkpoints/:id",
    summary: "Wait for people to decide a checkpoint",
    description:
      "Only the agent whose decision created the checkpoint can read it; any other id is 404. " +
      "The first read that says `approved` consumes the approval: perform the action under `decisionId` and report its outcome.",
    tags: ["checkpoints"],
    auth: "agent",
    params,
    query,
    responses: { 200: checkpointSchema },
    handler: async ({ params: { id }, query: { wait }, actor, services, reply }) => {
      if (actor.type !== "agent") throw new AppError("unauthorized", "An agent key is required.");
      const read = () => readCheckpointStatus(services.pool, actor, id);
      let view = await read();
      if (!view) throw new AppError("not_found", "No such checkpoint.");
      if (view.status === "pending" && wait) {
        view = await waitWhilePending(waiters, actor.agentId, id, view, Date.now() + wait * 1000, read, reply.raw);
      }
      return { status: 200, body: view };
    },
  });
}

export const checkpointStatusRoute = checkpointRoute();

async function waitWhilePending(
  waiters: CheckpointWaiters,
  agentId: string,
  id: string,
  first: CheckpointView,
  deadline: number,
  read: () => Promise<CheckpointView | null>,
  response: NodeJS.EventEmitter,
): Promise<CheckpointView> {
  const waiter = waiters.register(agentId, id);
  let gone = false;
  const onClose = () => {
    gone = true;
    waiter.wake();
  };
  response.once("close", onClose);
  try {
    // Registered first, then read: a decision committed between the first read and now is seen here.
    let view = (await read()) ?? first;
    while (view.status === "pending" && !gone) {
      const now = Date.now();
      if (now >= deadline) break;
      const untilExpiry = Date.parse(view.expiresAt) - now + EXPIRY_SLACK_MS;
      // Still pending although overdue (the read could not expire it yet): re-read soon, not in a busy loop.
      const expiryWait = untilExpiry > 0 ? untilExpiry : OVERDUE_RETRY_MS;
      const poll = waiters.listening() ? Infinity : FALLBACK_POLL_MS;
      await waiter.next(Math.min(deadline - now, expiryWait, poll));
      if (gone) break;
      view = (await read()) ?? view;
    }
    return view;
  } finally {
    response.removeListener("close", onClose);
    waiter.release();
  }
}
