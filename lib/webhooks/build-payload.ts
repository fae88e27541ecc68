// The body of a delivery, built when the event is queued (so a retry sends what happened, not
// what is true later). Parameters, reasoning and the on-behalf-of user are left out unless the
// webhook opted in: they may hold personal or commercial data that the receiving channel (a
// chat room, a ticket system) should not see by default. `text` is a one-line summary in Slack's
// mrkdwn; the "slack" format sends only `{ text }`.
import type { CheckpointWebhookEvent } from "@/lib/webhooks/webhook-events";

export interface CheckpointEventRow {
  checkpointId: string;
  status: "pending" | "approved" | "denied" | "expired" | "cancelled";
  decisionId: string;
  requiredApprovals: number;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  note: string | null;
  agent: { slug: string; name: string; maturity: string };
  action: string;
  category: string | null;
  risk: string | null;
  resource: string | null;
  params: unknown;
  reasoning: { instruction: string; considered: unknown; chosen: string | null; rationale: string | null };
  onBehalfOf: string | null;
  votes: Array<{ person: string; verdict: "approve" | "deny"; at: string }>;
}

export interface PayloadOptions {
  deliveryId: string;
  includeParams: boolean;
  /** The console's public URL (NEXTAUTH_URL), for a link back; omitted when unknown. */
  consoleUrl?: string;
  now: Date;
}

export type WebhookPayload = Record<string, unknown> & { text: string };

export function buildCheckpointPayload(event: CheckpointWebhookEvent, row: CheckpointEventRow, options: PayloadOptions): WebhookPayload {
  const link = options.consoleUrl ? `${options.consoleUrl.replace(/\/+$/, "")}/approvals?checkpoint=${row.checkpointId}` : undefined;
  const approvals = row.votes.filter((vote) => vote.verdict === "approve");
  const denial = row.votes.find((vote) => vote.verdict === "deny");
  const decidedBy = row.status === "denied" ? denial?.person : row.status === "approved" ? approvals.at(-1)?.person : undefined;
  return {
    id: options.deliveryId,
    type: event,
    occurredAt: (event === "checkpoint.created" ? row.createdAt : (row.decidedAt ?? options.now)).toISOString(),
    checkpoint: {
      id: row.checkpointId,
      decisionId: row.decisionId,
      status: row.status,
      requiredApprovals: row.requiredApprovals,
      approvals: approvals.length,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
      decidedBy: decidedBy ?? null,
      note: row.note,
      votes: row.votes,
      ...(link ? { url: link } : {}),
    },
    agent: row.agent,
    action: { key: row.action, category: row.category, risk: row.risk },
    resource: row.resource,
    ...(options.includeParams ? { params: row.params ?? null, reasoning: row.reasoning, onBehalfOf: row.onBehalfOf } : {}),
    text: slackText(event, row, decidedBy, link),
  };
}

export function buildTestPayload(options: PayloadOptions & { webhookName: string }): WebhookPayload {
  return {
    id: options.deliveryId,
    type: "webhook.test",
    occurredAt: options.now.toISOString(),
    text: `Test delivery from Mandate for the webhook "${escapeSlack(options.webhookName)}". If you can read this, it works.`,
  };
}

function slackText(event: CheckpointWebhookEvent, row: CheckpointEventRow, decidedBy: string | undefined, link: string | undefined): string {
  const what = `*${escapeSlack(row.agent.name)}* wants \`${escapeSlack(row.action)}\`${row.resource ? ` on \`${escapeSlack(row.resource)}\`` : ""}`;
  const risk = row.risk ? ` (${row.risk} risk)` : "";
  const note = row.note ? `: ${escapeSlack(row.note)}` : "";
  const open = link ? ` <${link}|Open in Mandate>` : "";
  switch (event) {
    case "checkpoint.created": {
      const quorum = row.requiredApprovals > 1 ? `, needs ${row.requiredApprovals} approvers` : "";
      return `:hourglass: Approval needed: ${what}${risk}${quorum}; expires ${row.expiresAt.toISOString()}.${open}`;
    }
    case "checkpoint.decided":
      return row.status === "approved"
        ? `:white_check_mark: Approved by ${escapeSlack(decidedBy ?? "an approver")}: ${what}${risk}${note}.${open}`
        : `:no_entry: Denied by ${escapeSlack(decidedBy ?? "an approver")}: ${what}${risk}${note}.${open}`;
    case "checkpoint.expired":
      return `:no_entry: Expired without a decision (a deny): ${what}${risk}.${open}`;
    case "checkpoint.cancelled":
      return `:octagonal_sign: Cancelled: ${what}${risk}${row.note ? ` (${escapeSlack(row.note)})` : ""}.${open}`;
  }
}

/** Slack's three control characters; everything else is shown as typed. */
export function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
