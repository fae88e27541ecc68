// The demo organisation as data: people, catalog, global checkpoint policies and agents with
// their written lists. Conditions use the shape the registry validates: "resource" (glob),
// "params" ({ min, max } | { oneOf } | { domains }) and "window" (days, from, to, tz).
import type { ActionCategory, AgentStatus, Maturity, PermissionEffect, RiskLevel, Role } from "@/lib/generated/prisma/enums";

export const DEMO_DOMAIN = "demo.mandate.local";
const at = (local: string) => `${local}@${DEMO_DOMAIN}`;

export type DemoPersonKey = "admin" | "approverA" | "approverB" | "auditor" | "businessOwner" | "technicalOwner";

export const DEMO_PEOPLE: ReadonlyArray<{ key: DemoPersonKey; role: string; name: string; email: string; roles: Role[] }> = [
  { key: "admin", role: "admin", name: "Alex Morgan", email: at("alex.morgan"), roles: ["admin"] },
  { key: "approverA", role: "approver", name: "Priya Raman", email: at("priya.raman"), roles: ["approver"] },
  { key: "approverB", role: "approver", name: "Tomás Herrera", email: at("tomas.herrera"), roles: ["approver"] },
  { key: "auditor", role: "auditor", name: "Grace Okafor", email: at("grace.okafor"), roles: ["auditor"] },
  { key: "businessOwner", role: "business owner", name: "Dana Whitfield", email: at("dana.whitfield"), roles: [] },
  { key: "technicalOwner", role: "technical owner", name: "Sam Patel", email: at("sam.patel"), roles: [] },
];

/** The e-mail whose presence means "this database already has the demo". */
export const DEMO_MARKER_EMAIL = at("alex.morgan");

/** People the agents act for; they do not sign in to Mandate. */
export const ON_BEHALF_OF = {
  support: [at("jamie.chen"), at("leah.novak"), at("omar.haddad")],
  salesOps: [at("marcus.bell")],
  finance: [at("olivia.grant"), at("jamie.chen")],
  engineering: [at("devon.brooks"), at("mei.tanaka"), at("lucas.meyer")],
} as const;

type ActionDef = readonly [key: string, name: string, category: ActionCategory, risk: RiskLevel, description: string];

export const DEMO_CATALOG: ReadonlyArray<{ key: string; name: string; description: string; actions: readonly ActionDef[] }> = [
  {
    key: "crm",
    name: "CRM",
    description: "Customer records, deals and notes.",
    actions: [
      ["crm.contact.read", "Read contact", "read", "low", "Read one contact record."],
      ["crm.contact.update", "Update contact", "write", "medium", "Change fields of a contact record."],
      ["crm.deal.update", "Update deal", "write", "medium", "Change a deal's value, stage or owner."],
      ["crm.note.create", "Log a note", "write", "low", "Add a call or meeting note to a record."],
      ["crm.record.delete", "Delete record", "delete", "high", "Delete a contact, account or deal."],
      ["crm.enrichment.lookup", "Enrichment lookup", "third_party_call", "medium", "Send a company domain to the external enrichment service."],
    ],
  },
  {
    key: "helpdesk",
    name: "Helpdesk",
    description: "Customer support tickets.",
    actions: [
      ["helpdesk.ticket.read", "Read ticket", "read", "low", "Read a ticket and its history."],
      ["helpdesk.ticket.update", "Update ticket", "write", "low", "Set labels, priority, queue or internal notes."],
      ["helpdesk.ticket.reply", "Reply to customer", "external_communication", "medium", "Send a reply to the customer."],
      ["helpdesk.ticket.close", "Close ticket", "write", "low", "Close a solved ticket."],
    ],
  },
  {
    key: "email",
    name: "E-mail",
    description: "The company mail system.",
    actions: [
      ["email.read", "Read mailbox", "read", "medium", "Read messages in a shared mailbox."],
      ["email.draft.create", "Create draft", "write", "low", "Save a draft for a person to review and send."],
      ["email.send", "Send e-mail", "external_communication", "high", "Send an e-mail to one or a few recipients."],
      ["email.bulk.send", "Send bulk e-mail", "external_communication", "critical", "Send one message to a list of recipients."],
    ],
  },
  {
    key: "payments",
    name: "Payments",
    description: "Charges, refunds, invoices and payouts.",
    actions: [
      ["payments.charge.read", "Read charge", "read", "low", "Read a charge and its refunds."],
      ["payments.refund.issue", "Issue refund", "financial", "critical", "Refund all or part of a charge."],
      ["payments.invoice.create", "Create invoice", "financial", "high", "Create and finalise an invoice."],
      ["payments.payout.create", "Create payout", "financial", "critical", "Pay money out to a bank account."],
      ["payments.customer.update", "Update payment details", "write", "high", "Change a customer's billing or payment details."],
    ],
  },
  {
    key: "github",
    name: "GitHub",
    description: "Source code, pull requests and repository settings.",
    actions: [
      ["github.repo.read", "Read repository", "read", "low", "Read files and history."],
      ["github.pr.read", "Read pull request", "read", "low", "Read a pull request's diff, checks and discussion."],
      ["github.pr.comment", "Comment on pull request", "write", "low", "Leave a review comment."],
      ["github.pr.merge", "Merge pull request", "write", "high", "Merge a pull request into its base branch."],
      ["github.repo.admin", "Administer repository", "admin", "critical", "Change settings, branch protection or access."],
    ],
  },
  {
    key: "calendar",
    name: "Calendar",
    description: "Meetings and invitations.",
    actions: [
      ["calendar.event.read", "Read events", "read", "low", "Read free/busy and events."],
      ["calendar.event.create", "Create event", "write", "low", "Create an event in a team calendar."],
      ["calendar.invite.send", "Send invitation", "external_communication", "medium", "Invite people outside the company to an event."],
    ],
  },
  {
    key: "slack",
    name: "Slack",
    description: "Internal chat.",
    actions: [
      ["slack.message.read", "Read messages", "read", "low", "Read messages in a channel."],
      ["slack.message.post", "Post message", "write", "low", "Post a message to a channel."],
      ["slack.channel.create", "Create channel", "admin", "medium", "Create a channel."],
      ["slack.channel.invite_external", "Invite external user", "external_communication", "high", "Invite someone outside the company into a channel."],
    ],
  },
];

export interface DemoPolicy {
  name: string;
  category?: ActionCategory;
  action?: string;
  conditions?: { param: string; above: number };
  requiredApprovals: number;
  expirySeconds: number;
  maxExtendSeconds: number;
}

export const DEMO_POLICIES: readonly DemoPolicy[] = [
  { name: "External communication needs approval", category: "external_communication", requiredApprovals: 1, expirySeconds: 900, maxExtendSeconds: 900 },
  {
    name: "Financial actions above 1,000 need two approvers",
    category: "financial",
    conditions: { param: "amount", above: 1000 },
    requiredApprovals: 2,
    expirySeconds: 3600,
    maxExtendSeconds: 0,
  },
  { name: "Deleting CRM records needs approval", action: "crm.record.delete", requiredApprovals: 1, expirySeconds: 1800, maxExtendSeconds: 0 },
];

export interface DemoLine {
  action: string;
  effect: PermissionEffect;
  conditions?: DemoConditions;
  onConditionFail?: PermissionEffect;
  rateLimitPerMinute?: number;
  rateLimitPerHour?: number;
  justification: string;
}

export type ParamLimit = { min?: number; max?: number } | { oneOf: string[] } | { domains: string[] };
export interface DemoConditions {
  resource?: string;
  params?: Record<string, ParamLimit>;
  window?: { days: string[]; from: string; to: string; tz: "UTC" };
}

export interface DemoAgent {
  slug: string;
  name: string;
  purpose: string;
  environment: string;
  status: AgentStatus;
  maturity: Maturity;
  deployedBy: DemoPersonKey;
  owners: DemoPersonKey[];
  technicalOwner?: DemoPersonKey;
  registeredDaysAgo: number;
  /** Active agents went live this many days ago, after a passed kill drill. */
  activatedDaysAgo?: number;
  credentials: Array<{ label: string; expiresInDays?: number }>;
  lines: DemoLine[];
}
