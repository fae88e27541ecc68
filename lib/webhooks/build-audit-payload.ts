// The body of a kill-switch or owner-notice delivery, built from the sealed audit event when it
// is queued: the same envelope as a checkpoint delivery (id, type, occurredAt, agent, text), plus
// who did it (a person's name, never an e-mail address) and one section for the kind of event.
// As for checkpoints, a decision's parameters, reasoning and on-behalf-of user go out only when
// the webhook opted in. `text` is a one-line summary in Slack's mrkdwn.
import { escapeSlack, type PayloadOptions, type WebhookPayload } from "@/lib/webhooks/build-payload";
import type { AuditWebhookEvent } from "@/lib/webhooks/webhook-events";

export interface AuditEventRow {
  eventId: string;
  seq: string;
  createdAt: Date;
  actor: { type: "person" | "agent" | "system"; name: string | null };
  agent: { slug: string; name: string; maturity: string } | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  reasoning: Record<string, unknown> | null;
  /** Decisions only: the action's catalog entry, who the agent acted for, and whom the notice is for. */
  decision?: { category: string | null; risk: string | null; onBehalfOf: string | null; owners: string[]; technicalOwner: string | null };
}

export function buildAuditPayload(event: AuditWebhookEvent, row: AuditEventRow, options: PayloadOptions): WebhookPayload {
  const base = options.consoleUrl?.replace(/\/+$/, "");
  const section = sectionOf(event, row, options.includeParams);
  const url = base ? `${base}${pathOf(event, row)}` : undefined;
  return {
    id: options.deliveryId,
    type: event,
    occurredAt: row.createdAt.toISOString(),
    audit: { eventId: row.eventId, seq: row.seq },
    actor: row.actor,
    agent: row.agent,
    ...section,
    ...(url ? { url } : {}),
    text: slackText(event, row, url),
  };
}

function sectionOf(event: AuditWebhookEvent, row: AuditEventRow, includeParams: boolean): Record<string, unknown> {
  const { data } = row;
  const before = record(data.before);
  const after = record(data.after);
  const reason = text(data.reason);
  switch (event) {
    case "agent.killed": {
      const released = record(data.released);
      return {
        kill: {
          mode: text(after.mode),
          reason,
          previousStatus: text(before.status),
          keysRevoked: Array.isArray(released.revokedKeys) ? released.revokedKeys.length : 0,
          delegationsEnded: count(released.endedDelegations),
          checkpointsCancelled: count(released.cancelledCheckpoints),
        },
      };
    }
    case "agent.revived":
      return {
        revive: { reason, status: text(after.status), maturity: { before: text(before.maturity), after: text(after.maturity), kept: record(data.maturity).kept === true } },
      };
    case "fleet.stopped":
      return { fleet: { stopped: true, mode: text(after.mode), reason, checkpointsCancelled: count(data.cancelledCheckpoints) } };
    case "fleet.resumed":
      return { fleet: { stopped: false, previousMode: text(before.mode), reason } };
    case "capability.killed":
    case "capability.restored":
      return { capability: { name: text(data.capability), killId: row.subjectId, scope: row.agent ? "agent" : "every agent", reason } };
    case "kill_drill.unacknowledged": {
      const startedAt = time(data.startedAt);
      return {
        drill: {
          id: row.subjectId,
          startedAt: startedAt?.toISOString() ?? null,
          failedAt: row.createdAt.toISOString(),
          thresholdMs: count(data.thresholdMs),
          waitedSeconds: count(data.waitedSeconds),
          unansweredSeconds: startedAt ? Math.round((row.createdAt.getTime() - startedAt.getTime()) / 1000) : null,
        },
      };
    }
    case "decision.owners_notified": {
      const notice = row.decision;
      return {
        decision: {
          id: row.subjectId,
          effect: text(data.effect),
          reason: text(data.reason),
          action: { key: text(data.action), category: notice?.category ?? null, risk: notice?.risk ?? null },
          resource: text(data.resource),
        },
        owners: notice?.owners ?? [],
        technicalOwner: notice?.technicalOwner ?? null,
        ...(includeParams ? { params: data.params ?? null, reasoning: row.reasoning, onBehalfOf: notice?.onBehalfOf ?? null } : {}),
      };
    }
  }
}

function pathOf(event: AuditWebhookEvent, row: AuditEventRow): string {
  if (event === "decision.owners_notified" && row.subjectId) return `/audit/decisions/${encodeURIComponent(row.subjectId)}`;
  // Fleet-wide changes live on the overview (stop all, capabilities for every agent).
  return row.agent ? `/agents/${encodeURIComponent(row.agent.slug)}/kill-switch` : "/";
}

function slackText(event: AuditWebhookEvent, row: AuditEventRow, url: string | undefined): string {
  const { data } = row;
  const agent = row.agent ? `*${escapeSlack(row.agent.name)}*` : "an agent that no longer exists";
  const who = escapeSlack(row.actor.name ?? (row.actor.type === "system" ? "Mandate" : "someone"));
  const reason = text(data.reason);
  const why = reason ? `: ${escapeSlack(reason)}` : "";
  const open = url ? ` <${url}|Open in Mandate>` : "";
  const end = (line: string) => `${/[.!?]$/.test(line) ? line : `${line}.`}${open}`;
  const capability = `\`${escapeSlack(text(data.capability) ?? "?")}\``;
  const scope = row.agent ? `for ${agent}` : "for every agent";
  switch (event) {
    case "agent.killed":
      return end(`:octagonal_sign: Agent ${agent} was killed (${text(record(data.after).mode) ?? "graceful"}) by ${who}${why}`);
    case "agent.revived": {
      const maturity = text(record(data.after).maturity) ?? "intern";
      return end(`:arrows_counterclockwise: Agent ${agent} was revived by ${who}${why}; it is suspended, at ${maturity} maturity, until it is activated`);
    }
    case "fleet.stopped":
      return end(`:rotating_light: Every agent was stopped (${text(record(data.after).mode) ?? "graceful"}) by ${who}${why}`);
    case "fleet.resumed":
      return end(`:arrow_forward: The stop of every agent was lifted by ${who}${why}`);
    case "capability.killed":
      return end(`:no_entry_sign: ${capability} was switched off ${scope} by ${who}${why}`);
    case "capability.restored":
      return end(`:leftwards_arrow_with_hook: ${capability} was restored ${scope} by ${who}${why}`);
    case "kill_drill.unacknowledged": {
      const waited = count(data.waitedSeconds);
      return end(`:warning: Agent ${agent} did not acknowledge a kill drill${waited ? ` within ${waited} s` : ""}: the drill failed`);
    }
    case "decision.owners_notified": {
      const resource = text(data.resource);
      const risk = row.decision?.risk ? ` (${row.decision.risk} risk)` : "";
      const owners = [...(row.decision?.owners ?? []), ...(row.decision?.technicalOwner ? [row.decision.technicalOwner] : [])];
      const unique = [...new Set(owners)].map(escapeSlack).join(", ");
      return end(
        `:bell: Senior agent ${agent} did \`${escapeSlack(text(data.action) ?? "?")}\`${resource ? ` on \`${escapeSlack(resource)}\`` : ""}${risk} without approval; its owners are notified${unique ? `: ${unique}` : ""}`,
      );
    }
  }
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function time(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
