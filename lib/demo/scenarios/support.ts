// Support Triage's working day: routine triage, the odd request it must refuse, and refunds it
// hands over to Finance Refunds (a two-agent trace).
import { ON_BEHALF_OF } from "@/lib/demo/demo-org";
import type { Rng } from "@/lib/demo/prng";
import { refundSteps, type RefundOptions } from "@/lib/demo/scenarios/finance";
import { CUSTOMERS, type EpisodeSpec, type StepSpec } from "@/lib/demo/scenarios/types";

const AGENT = "support-triage";

const TICKETS = [
  { subject: "Can't export invoices as PDF", queue: "Billing", alt: "Engineering", priority: "normal", labels: ["billing", "export"], why: "Matches the known PDF export issue (KB-212); Billing owns the workaround.", escalate: false },
  { subject: "SSO login loops back to the sign-in page", queue: "Identity", alt: "Tier 1", priority: "high", labels: ["sso", "login"], why: "Three SSO loop reports today from Okta tenants; Identity is investigating.", escalate: false },
  { subject: "API returns 429 since this morning", queue: "Engineering", alt: "Tier 1", priority: "high", labels: ["api", "rate-limit"], why: "Their request rate is within plan; the 429s point at our side.", escalate: true },
  { subject: "How do I add a teammate?", queue: "Tier 1", alt: "Account Management", priority: "low", labels: ["how-to", "seats"], why: "A documented how-to; Tier 1 answers it from the help centre article.", escalate: false },
  { subject: "Webhooks not delivered for two hours", queue: "Engineering", alt: "Tier 1", priority: "urgent", labels: ["webhooks", "incident"], why: "Status page shows degraded webhook delivery; this is part of the incident.", escalate: true },
  { subject: "Dashboard very slow in the EU region", queue: "Engineering", alt: "Tier 1", priority: "normal", labels: ["performance", "eu"], why: "Latency reports cluster in eu-west; Engineering tracks it.", escalate: false },
  { subject: "Invoice shows the wrong VAT number", queue: "Billing", alt: "Tier 1", priority: "normal", labels: ["billing", "vat"], why: "Billing corrects tax details on issued invoices.", escalate: false },
  { subject: "Cannot reset two-factor authentication", queue: "Identity", alt: "Tier 1", priority: "high", labels: ["2fa", "account-access"], why: "2FA resets need an identity check that only the Identity queue does.", escalate: false },
] as const;

function ticketId(rng: Rng): string {
  return String(rng.int(41200, 48999));
}

function readTicket(id: string, subject: string): StepSpec {
  return {
    agent: AGENT,
    action: "helpdesk.ticket.read",
    resource: `tickets/${id}`,
    considered: ["Read the ticket and its history", "Triage from the subject line only"],
    chosen: "Read the ticket and its history",
    rationale: `"${subject}" is ambiguous on its own; the history shows whether this is a repeat.`,
    summary: `Ticket #${id} read.`,
  };
}

export function triageEpisode(rng: Rng): EpisodeSpec {
  const ticket = rng.pick(TICKETS);
  const customer = rng.pick(CUSTOMERS);
  const id = ticketId(rng);
  const steps: StepSpec[] = [
    readTicket(id, ticket.subject),
    {
      agent: AGENT,
      action: "crm.contact.read",
      resource: `contacts/${customer.id}`,
      params: { fields: ["plan", "account_owner"] },
      considered: ["Look up the customer's plan and account owner", "Route without customer context"],
      chosen: "Look up the customer's plan and account owner",
      rationale: "Enterprise customers get a faster queue and their account owner is copied.",
      summary: `${customer.company}: ${customer.plan} plan.`,
    },
    {
      agent: AGENT,
      action: "helpdesk.ticket.update",
      resource: `tickets/${id}`,
      params: { queue: ticket.queue, priority: customer.plan === "Enterprise" && ticket.priority === "normal" ? "high" : ticket.priority, labels: [...ticket.labels] },
      considered: [`Route to ${ticket.queue}`, `Route to ${ticket.alt}`, "Ask the customer for more detail"],
      chosen: `Route to ${ticket.queue}`,
      rationale: ticket.why,
      summary: `Routed to ${ticket.queue}.`,
    },
  ];
  if (rng.chance(0.55)) {
    steps.push({
      agent: AGENT,
      action: "email.draft.create",
      resource: `tickets/${id}`,
      params: { to: customer.contact, template: ticket.labels[0] },
      considered: ["Draft a first reply for the engineer", "Leave the reply entirely to the engineer"],
      chosen: "Draft a first reply for the engineer",
      rationale: "A help-centre answer exists; a draft saves the engineer time and they still review and send it.",
      summary: "Draft saved for review.",
    });
  }
  if (ticket.escalate) {
    // Now and then it reaches for a channel outside its list.
    const channel = rng.chance(0.2) ? "#incidents" : "#support-escalations";
    steps.push({
      agent: AGENT,
      action: "slack.message.post",
      resource: channel,
      params: { text: `Ticket #${id} (${customer.company}, ${customer.plan}): ${ticket.subject}` },
      considered: [`Post to ${channel}`, "Wait for more reports before escalating"],
      chosen: `Post to ${channel}`,
      rationale: channel === "#incidents" ? "The incident channel is where the on-call engineer is looking." : "Looks like an ongoing incident; on-call should see it now.",
      summary: `Posted to ${channel}.`,
    });
  }
  return { instruction: `Triage new ticket #${id} "${ticket.subject}" from the support inbox.`, onBehalfOf: rng.pick(ON_BEHALF_OF.support), steps };
}

/** A customer asks for erasure; the agent reaches for a delete its list forbids, then routes it. */
export function erasureEpisode(rng: Rng): EpisodeSpec {
  const customer = rng.pick(CUSTOMERS);
  const id = ticketId(rng);
  const subject = "Please delete all my personal data (GDPR)";
  return {
    instruction: `Triage new ticket #${id} "${subject}" from the support inbox.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.support),
    steps: [
      readTicket(id, subject),
      {
        agent: AGENT,
        action: "crm.record.delete",
        resource: `contacts/${customer.id}`,
        considered: ["Delete the contact record as asked", "Route to the Privacy team, who handle erasure requests"],
        chosen: "Delete the contact record as asked",
        rationale: "The request cites GDPR Article 17 and comes from the contact's own address.",
        summary: "Contact deleted.",
      },
      {
        agent: AGENT,
        action: "helpdesk.ticket.update",
        resource: `tickets/${id}`,
        params: { queue: "Privacy", priority: "high", labels: ["gdpr", "erasure"] },
        considered: ["Route to Privacy", "Reply that we cannot help"],
        chosen: "Route to Privacy",
        rationale: "Deleting the record myself was refused; erasure requests have a 30-day deadline, so Privacy must see it today.",
        summary: "Routed to Privacy.",
      },
    ],
  };
}

/** A downgrade request tempts it to edit the deal, which is not on its list. */
export function downgradeEpisode(rng: Rng): EpisodeSpec {
  const customer = rng.pick(CUSTOMERS);
  const id = ticketId(rng);
  const subject = "Downgrade us to Starter at renewal";
  return {
    instruction: `Triage new ticket #${id} "${subject}" from the support inbox.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.support),
    steps: [
      readTicket(id, subject),
      {
        agent: AGENT,
        action: "crm.deal.update",
        resource: `deals/d_${customer.id.slice(2)}`,
        params: { stage: "Renewal - downgrade", plan: "Starter" },
        considered: ["Update the renewal deal to Starter", "Hand the request to Account Management"],
        chosen: "Update the renewal deal to Starter",
        rationale: "The customer states the plan they want and the renewal date; the change looks mechanical.",
        summary: "Renewal deal updated.",
      },
      {
        agent: AGENT,
        action: "helpdesk.ticket.update",
        resource: `tickets/${id}`,
        params: { queue: "Account Management", priority: "normal", labels: ["renewal", "downgrade"] },
        considered: ["Route to Account Management", "Route to Billing"],
        chosen: "Route to Account Management",
        rationale: "I may not change deals; the account executive owns renewals.",
        summary: "Routed to Account Management.",
      },
    ],
  };
}

/** "Charged twice": Support routes the ticket, then Finance Refunds takes over in the same trace. */
export function refundHandoffEpisode(rng: Rng, options: RefundOptions = {}): EpisodeSpec {
  const customer = rng.pick(CUSTOMERS);
  const id = ticketId(rng);
  const subject = `Charged twice for ${rng.pick(["March", "April", "May", "our annual plan", "extra seats"])}`;
  const steps: StepSpec[] = [
    readTicket(id, subject),
    {
      agent: AGENT,
      action: "helpdesk.ticket.update",
      resource: `tickets/${id}`,
      params: { queue: "Finance", priority: "normal", labels: ["billing", "refund"] },
      considered: ["Hand over to Finance Refunds", "Refund it myself", "Ask the customer for the charge id"],
      chosen: "Hand over to Finance Refunds",
      rationale: "Refunds are not mine to issue; the ticket already names the duplicate charge.",
      summary: "Handed over to Finance.",
    },
  ];
  const hop = refundSteps(rng, { ...options, ticket: id, customer, parent: 1 });
  return { instruction: `Triage new ticket #${id} "${subject}" from the support inbox.`, onBehalfOf: rng.pick(ON_BEHALF_OF.support), steps: [...steps, ...hop] };
}
