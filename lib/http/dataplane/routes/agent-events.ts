// GET /api/v1/agent/events: the kill-switch state as a Server-Sent Events stream. The first event
// is the current status, at once — unless the client resumes with Last-Event-ID equal to the
// current version, which it already has. Each change is then an event `status` whose id is the
// version; comment heartbeats keep idle streams alive. The response is taken over from Fastify
// (reply.hijack) and held as a plain node:http response in lib/kill/status-streams.ts, so an open
// stream costs its socket and a small object, not a framework request. Declared as a Route object
// rather than with defineRoute, whose handler always sends a reply; the OpenAPI document lists it.
import "server-only";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { DataPlaneServices, Route } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";
import { killStatusFor, type KillStatusOptions } from "@/lib/kill/status-services";
import { currentView } from "@/lib/http/dataplane/routes/agent-status";

const MAX_EVENT_ID_LENGTH = 32;

const eventStream = z
  .string()
  .describe(
    "`text/event-stream`. Each event: `id: <version>`, `event: status`, `data: <AgentStatus JSON>`. " +
      "Lines starting with `:` are heartbeats (about every 10 s). Reconnect with `Last-Event-ID` to resume.",
  );

export function eventsRoute(options: KillStatusOptions = {}): Route {
  return {
    method: "GET",
    url: "/agent/events",
    summary: "The kill-switch state as a Server-Sent Events stream",
    description:
      "The first event is the current status (skipped when `Last-Event-ID` already equals its version); then one `status` event " +
      "per change, pushed to every instance's streams through the database's change notifications. A stream held by a key " +
      "that is revoked (a forced kill revokes all of them) gets the latest status and is then closed; reconnecting with that key is 401.",
    tags: ["agent"],
    auth: "agent",
    schemas: { responses: { 200: eventStream } },
    handle: (request, reply, services) => openStream(request, reply, services, options),
  };
}

export const agentEventsRoute = eventsRoute();

async function openStream(request: FastifyRequest, reply: FastifyReply, services: DataPlaneServices, options: KillStatusOptions): Promise<FastifyReply> {
  const caller = request.agentCaller;
  if (!caller) throw new AppError("unauthorized", "An agent key is required.");
  const { hub, streams } = killStatusFor(services.pool, options);
  // Read before anything is written: a failure here is still a problem document.
  const first = hub.peek(caller.agentId) ?? (await currentView(hub, caller.agentId));
  const header = request.headers["last-event-id"];
  const lastEventId = typeof header === "string" && header.length <= MAX_EVENT_ID_LENGTH ? header.trim() : undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (typeof value === "string") headers[name] = value;
  // Throws (too many streams for this agent) before writing anything.
  streams.open(reply.raw, { agentId: caller.agentId, credentialId: caller.credentialId, lastEventId, first, headers });
  return reply.hijack();
}
