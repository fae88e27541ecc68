// The demo's five agents, one per stage of a realistic rollout, each with its written list.
import type { DemoAgent, DemoConditions } from "@/lib/demo/demo-org";

const OFFICE_HOURS: DemoConditions["window"] = {
  days: ["mon", "tue", "wed", "thu", "fri"],
  from: "08:00",
  to: "18:00",
  tz: "UTC",
};

export const DEMO_AGENTS: readonly DemoAgent[] = [
  {
    slug: "support-triage",
    name: "Support Triage",
    purpose:
      "Triages new support tickets: reads the ticket and the customer's CRM record, sets labels, priority and queue, " +
      "drafts a first reply for a support engineer to send, and escalates outages to #support-escalations.",
    environment: "production",
    status: "active",
    maturity: "senior",
    deployedBy: "technicalOwner",
    owners: ["businessOwner"],
    technicalOwner: "technicalOwner",
    registeredDaysAgo: 41,
    activatedDaysAgo: 38,
    credentials: [{ label: "production" }, { label: "production (rotation)", expiresInDays: 90 }],
    lines: [
      { action: "helpdesk.ticket.read", effect: "allow", conditions: { resource: "tickets/*" }, justification: "Reads the ticket it is triaging." },
      {
        action: "helpdesk.ticket.update",
        effect: "allow",
        conditions: { resource: "tickets/*" },
        rateLimitPerMinute: 30,
        justification: "Sets labels, priority and the queue; the rate limit stops a loop from relabelling the whole backlog.",
      },
      { action: "crm.contact.read", effect: "allow", justification: "Looks up the customer's plan and account owner to route the ticket." },
      { action: "email.draft.create", effect: "allow", justification: "Drafts a reply; a support engineer reviews and sends it." },
      {
        action: "slack.message.post",
        effect: "allow",
        conditions: { resource: "#support-*" },
        rateLimitPerHour: 60,
        justification: "Escalates outages and VIP tickets to the support channels, and nowhere else.",
      },
      { action: "crm.record.delete", effect: "deny", justification: "Never: support does not delete customer records, whatever a ticket asks." },
      { action: "payments.refund.issue", effect: "deny", justification: "Never: refunds go to Finance Refunds, which has its own limits." },
    ],
  },
  {
    slug: "crm-hygiene",
    name: "Sales Ops CRM Hygiene",
    purpose:
      "Keeps the CRM clean for Sales: finds duplicate contacts, fills in missing company fields from the enrichment " +
      "service and proposes merges. It does not touch deals.",
    environment: "production",
    status: "active",
    maturity: "junior",
    deployedBy: "admin",
    owners: ["businessOwner"],
    technicalOwner: "technicalOwner",
    registeredDaysAgo: 24,
    activatedDaysAgo: 21,
    credentials: [{ label: "production" }],
    lines: [
      { action: "crm.contact.read", effect: "allow", justification: "Scans contacts for duplicates and missing fields." },
      {
        action: "crm.contact.update",
        effect: "allow",
        conditions: { resource: "contacts/*", params: { field: { oneOf: ["company", "title", "industry", "country", "phone"] } } },
        rateLimitPerHour: 200,
        justification: "Fills in firmographic fields only; owner, stage and consent fields stay with people.",
      },
      {
        action: "crm.enrichment.lookup",
        effect: "allow",
        rateLimitPerMinute: 10,
        justification: "Sends a company domain (never a person's data) to the enrichment vendor under the DPA.",
      },
      {
        action: "crm.record.delete",
        effect: "require_approval",
        conditions: { resource: "contacts/*" },
        justification: "Merging duplicates deletes the losing contact; a person confirms every merge.",
      },
      { action: "crm.deal.update", effect: "deny", justification: "Never: deal values and stages belong to the account executives." },
    ],
  },
  {
    slug: "finance-refunds",
    name: "Finance Refunds",
    purpose:
      "Handles refund requests passed on by Support: checks the original charge, refunds up to 500 in USD, EUR or GBP " +
      "on its own, sends larger refunds to a person, and notes the result on the ticket.",
    environment: "production",
    status: "active",
    maturity: "principal",
    deployedBy: "admin",
    owners: ["businessOwner"],
    technicalOwner: "technicalOwner",
    registeredDaysAgo: 63,
    activatedDaysAgo: 58,
    credentials: [{ label: "production", expiresInDays: 180 }],
    lines: [
      { action: "payments.charge.read", effect: "allow", justification: "Checks the original charge and earlier refunds before refunding." },
      {
        action: "payments.refund.issue",
        effect: "allow",
        conditions: { params: { amount: { min: 0.01, max: 500 }, currency: { oneOf: ["USD", "EUR", "GBP"] } } },
        onConditionFail: "require_approval",
        rateLimitPerHour: 20,
        justification: "Refunds up to 500 on its own; anything larger or in another currency goes to an approver.",
      },
      { action: "helpdesk.ticket.read", effect: "allow", conditions: { resource: "tickets/*" }, justification: "Reads the refund request on the ticket." },
      { action: "helpdesk.ticket.update", effect: "allow", conditions: { resource: "tickets/*" }, justification: "Notes the refund on the ticket." },
      { action: "crm.contact.read", effect: "allow", justification: "Confirms the requester is a billing contact of the account." },
      { action: "payments.payout.create", effect: "deny", justification: "Never: payouts are not refunds." },
      { action: "payments.customer.update", effect: "deny", justification: "Never: only the customer changes bank or card details." },
    ],
  },
  {
    slug: "code-review",
    name: "Code Review Assistant",
    purpose:
      "Reviews pull requests in the acme organisation on request: reads the diff, the checks and the surrounding code, " +
      "and returns review notes to the engineer who asked.",
    environment: "staging",
    status: "active",
    maturity: "intern",
    deployedBy: "technicalOwner",
    owners: ["businessOwner"],
    technicalOwner: "technicalOwner",
    registeredDaysAgo: 12,
    activatedDaysAgo: 9,
    credentials: [{ label: "ci runner", expiresInDays: 30 }],
    lines: [
      { action: "github.repo.read", effect: "allow", conditions: { resource: "acme/*" }, justification: "Reads code in the repositories it reviews." },
      { action: "github.pr.read", effect: "allow", conditions: { resource: "acme/*" }, justification: "Reads the diff, checks and discussion." },
      {
        action: "github.pr.comment",
        effect: "allow",
        conditions: { resource: "acme/*" },
        rateLimitPerHour: 120,
        justification: "Leaves review comments once promoted to junior; while an intern it may only read.",
      },
      { action: "github.pr.merge", effect: "deny", justification: "Never: merging is a human decision." },
    ],
  },
  {
    slug: "marketing-outreach",
    name: "Marketing Outreach",
    purpose:
      "Follows up with people who signed up at events: writes a personal e-mail and offers a demo slot. " +
      "In review: it may only write to the test domain until launch.",
    environment: "staging",
    status: "draft",
    maturity: "intern",
    deployedBy: "admin",
    owners: ["businessOwner"],
    registeredDaysAgo: 3,
    credentials: [],
    lines: [
      { action: "crm.contact.read", effect: "allow", conditions: { resource: "segments/event-signups/*" }, justification: "Reads the event sign-ups it follows up." },
      {
        action: "email.send",
        effect: "require_approval",
        conditions: { params: { to: { domains: ["example.com"] } }, window: OFFICE_HOURS },
        rateLimitPerHour: 50,
        justification: "Sends follow-ups to the test domain only, in office hours, each one approved, until launch.",
      },
      {
        action: "calendar.invite.send",
        effect: "require_approval",
        conditions: { window: OFFICE_HOURS },
        justification: "Offers demo slots; a person confirms each invitation.",
      },
      { action: "email.bulk.send", effect: "deny", justification: "Never: campaigns go through the marketing platform and its consent checks." },
    ],
  },
];
