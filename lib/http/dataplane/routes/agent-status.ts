// GET /api/v1/agent/status: the kill-switch poll (DESIGN.md §6). Answered from the instance's
// status hub, so the 304 path reads no database. With If-None-Match naming the current ETag and
// ?wait=SECONDS (≤ 30) the answer is held until the status changes — on whichever instance the
// change was made, through the NOTIFY fan-out — and is then 200, or 304 when the wait ran out.
// Keys of killed, suspended and retired agents still get their answer: it is how they learn.
import "server-only";
import { z } from "zod";
import { defineRoute, type Route } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";
import { etagMatches, type StatusView } from "@/lib/kill/agent-status";
import type { StatusHub } from "@/lib/kill/status-hub";
import { killStatusFor, type KillStatusOptions } from "@/lib/kill/status-services";

export const MAX_STATUS_WAIT_SECONDS = 30;

export const agentStatusSchema = z
  .object({
    state: z.enum(["active", "suspended", "killed", "retired"]).describe("Anything but `active` means: stop. A draft agent reads `suspended`."),
    mode: z.enum(["graceful", "forced"]).optional().describe("For `killed`: graceful lets current work finish and report; forced stops everything."),
    reason: z.string().optional().describe("Why, in the words of whoever changed the state."),
    since: z.iso.datetime().describe("When the state took effect."),
    version: z
      .number()
      .int()
      .describe("Goes up with every change of the agent's or the fleet's kill state; the event id of GET /agent/events."),
    scope: z.enum(["agent", "fleet"]).optional().describe("Extension: whose switch set a stopped state — the agent's own, or the fleet's stop-all."),
    drill: z
      .object({ id: z.uuid(), startedAt: z.iso.datetime(), thresholdMs: z.number().int() })
      .optional()
      .describe("A kill drill waiting for this agent: acknowledge it at once with POST /agent/drills/{id}/ack."),
  })
  .meta({ id: "AgentStatus" });

const query = z.object({
  wait: z.coerce
    .number()
    .int("Give whole seconds.")
    .min(0)
    .max(MAX_STATUS_WAIT_SECONDS, `Wait at most ${MAX_STATUS_WAIT_SECONDS} seconds; ask again after.`)
    .optional()
    .describe(`With If-None-Match: hold the answer up to this many seconds (0–${MAX_STATUS_WAIT_SECONDS}) until the status changes.`),
});

/** The route on the instance's status hub (made with `options` on first use; tests give their own change feed). */
export function statusRoute(options: KillStatusOptions = {}): Route {
  return defineRoute({
    method: "GET",
    url: "/agent/status",
    summary: "The kill-switch state: poll, compare ETags, or long-poll",
    description:
      "Send the last ETag as If-None-Match: 304 while nothing changed. Add ?wait=SECONDS (≤ 30) to hold the request until " +
      "the state changes (200 at once) or the wait ends (304). A pending kill drill appears as `drill`.",
    tags: ["agent"],
    auth: "agent",
    query,
    responses: { 200: agentStatusSchema, 304: z.undefined().describe("Not modified: the ETag named in If-None-Match is current.") },
    handler: async ({ agent, query: { wait }, request, reply, services }) => {
      const { hub } = killStatusFor(services.pool, options);
      let view = hub.peek(agent.agentId) ?? (await currentView(hub, agent.agentId));
      const known = request.headers["if-none-match"];
      if (wait && etagMatches(known, view.etag)) {
        const changed = await waitForChange(hub, agent.agentId, view.etag, wait * 1000, reply.raw);
        if (changed === null) throw gone();
        if (changed) view = changed;
      }
      if (etagMatches(known, view.etag)) return { status: 304, body: undefined, headers: { etag: view.etag } };
      return { status: 200, json: view.json, headers: { etag: view.etag } };
    },
  });
}

export const agentStatusRoute = statusRoute();

export async function currentView(hub: StatusHub, agentId: string): Promise<StatusView> {
  const view = await hub.view(agentId).catch(() => {
    throw new AppError("unavailable", "The kill-switch state cannot be read right now; try again shortly.");
  });
  if (!view) throw gone();
  return view;
}

/**
 * Resolves with the first view whose ETag differs from `etag` (null: the agent is gone), or
 * undefined after `ms` or once the client hangs up.
 */
function waitForChange(hub: StatusHub, agentId: string, etag: string, ms: number, connection: NodeJS.EventEmitter): Promise<StatusView | null | undefined> {
  return new Promise((resolve) => {
    let done = false;
    let stop = () => {};
    const finish = (view: StatusView | null | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop();
      connection.removeListener("close", onClose);
      resolve(view);
    };
    const onClose = () => finish(undefined);
    // Throws (rejecting the promise: 429) when the agent holds too many already; nothing is armed yet then.
    stop = hub.listen(agentId, { etag, changed: finish });
    const timer = setTimeout(() => finish(undefined), ms);
    connection.once("close", onClose);
  });
}

/** The key was valid a moment ago but its agent is gone. */
const gone = () => new AppError("unauthorized", "A valid agent key is required.");
