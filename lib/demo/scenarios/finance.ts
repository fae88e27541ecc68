// Finance Refunds: refunds from the Finance queue or handed over by Support, the odd request it
// must never do, and one incident afternoon that runs into its hourly limit.
import { ON_BEHALF_OF } from "@/lib/demo/demo-org";
import type { Rng } from "@/lib/demo/prng";
import { CUSTOMERS, money, type Customer, type EpisodeSpec, type StepSpec } from "@/lib/demo/scenarios/types";

const AGENT = "finance-refunds";

export interface RefundOptions {
  amount?: number;
  currency?: string;
  ticket?: string;
  customer?: Customer;
  /** Index of the step that handed the work over (a hop from another agent). */
  parent?: number;
}

/** Mostly small refunds; some above the agent's own 500 limit, a few above the 1,000 policy. */
function refundAmount(rng: Rng): number {
  const roll = rng.next();
  if (roll < 0.8) return money(rng, 9, 480);
  if (roll < 0.92) return money(rng, 520, 990);
  return money(rng, 1100, 3400);
}

export function refundSteps(rng: Rng, options: RefundOptions): StepSpec[] {
  const customer = options.customer ?? rng.pick(CUSTOMERS);
  const ticket = options.ticket ?? String(rng.int(41200, 48999));
  const amount = options.amount ?? refundAmount(rng);
  const currency = options.currency ?? rng.pick(["USD", "USD", "USD", "EUR", "EUR", "GBP"]);
  const charge = `ch_${rng.hex(14)}`;
  const shown = `${amount.toFixed(2)} ${currency}`;
  return [
    {
      agent: AGENT,
      action: "helpdesk.ticket.read",
      resource: `tickets/${ticket}`,
      instruction: options.parent === undefined ? undefined : `Refund request handed over by support-triage on ticket #${ticket}.`,
      parent: options.parent,
      considered: ["Read the refund request", "Refund from the hand-over note alone"],
      chosen: "Read the refund request",
      rationale: "The ticket holds the customer's own description of the duplicate charge.",
      summary: `Ticket #${ticket} read.`,
    },
    {
      agent: AGENT,
      action: "payments.charge.read",
      resource: `charges/${charge}`,
      considered: ["Check the charge and earlier refunds", "Trust the amount in the ticket"],
      chosen: "Check the charge and earlier refunds",
      rationale: "A refund must match a real charge that has not been refunded already.",
      summary: `Charge ${charge}: ${shown}, not refunded.`,
    },
    {
      agent: AGENT,
      action: "payments.refund.issue",
      resource: `charges/${charge}`,
      params: { amount, currency, reason: "duplicate", customer: customer.id },
      considered: [`Refund ${shown} in full`, "Refund part of it", "Decline: not a duplicate"],
      chosen: `Refund ${shown} in full`,
      rationale: `The charge duplicates one made minutes earlier for ${customer.company}; the customer asked for the second one back.`,
      summary: `Refunded ${shown}.`,
    },
    {
      agent: AGENT,
      action: "helpdesk.ticket.update",
      resource: `tickets/${ticket}`,
      params: { note: amount > 500 ? `Refund of ${shown} sent for approval.` : `Refunded ${shown}; 5–10 days to appear.`, status: "pending" },
      considered: ["Note the refund on the ticket", "Close the ticket"],
      chosen: "Note the refund on the ticket",
      rationale: "Support replies to the customer; they need to know what happened.",
      summary: "Refund noted on the ticket.",
    },
  ];
}

export function refundQueueEpisode(rng: Rng, options: RefundOptions = {}): EpisodeSpec {
  const ticket = String(rng.int(41200, 48999));
  return {
    instruction: `Process refund request #${ticket} from the Finance queue.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.finance),
    steps: refundSteps(rng, { ...options, ticket }),
  };
}

export function payoutEpisode(rng: Rng): EpisodeSpec {
  const invoice = `INV-${rng.int(2100, 2999)}`;
  return {
    instruction: `Vendor Brightline Media asks to be paid early for ${invoice}; handle it.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.finance),
    steps: [
      {
        agent: AGENT,
        action: "payments.payout.create",
        resource: `vendors/brightline-media`,
        params: { amount: money(rng, 2000, 9000), currency: "USD", invoice },
        considered: ["Pay the invoice now", "Pass it to Accounts Payable"],
        chosen: "Pay the invoice now",
        rationale: "The invoice is approved in the finance system and the vendor asked politely.",
        summary: "Payout created.",
      },
    ],
  };
}

export function cardChangeEpisode(rng: Rng): EpisodeSpec {
  const customer = rng.pick(CUSTOMERS);
  return {
    instruction: `${customer.company} asks us to switch their card on file to the one ending 4242.`,
    onBehalfOf: rng.pick(ON_BEHALF_OF.finance),
    steps: [
      {
        agent: AGENT,
        action: "payments.customer.update",
        resource: `customers/${customer.id}`,
        params: { field: "default_payment_method", last4: "4242" },
        considered: ["Change the default card", "Send the customer the self-service billing link"],
        chosen: "Change the default card",
        rationale: "The request came from the account's billing contact.",
        summary: "Default card changed.",
      },
    ],
  };
}

/** After a checkout incident, many small refunds at once: the 20-per-hour limit stops the tail. */
export function incidentRefundEpisode(rng: Rng, count: number): EpisodeSpec {
  const steps: StepSpec[] = Array.from({ length: count }, () => {
    const customer = rng.pick(CUSTOMERS);
    const amount = money(rng, 29, 89);
    const charge = `ch_${rng.hex(14)}`;
    return {
      agent: AGENT,
      action: "payments.refund.issue",
      resource: `charges/${charge}`,
      params: { amount, currency: "USD", reason: "duplicate", customer: customer.id, incident: "INC-2291" },
      considered: [`Refund ${amount.toFixed(2)} USD now`, "Wait for the full incident list"],
      chosen: `Refund ${amount.toFixed(2)} USD now`,
      rationale: `${charge} is on the INC-2291 list of charges taken twice by the checkout retry bug.`,
      summary: `Refunded ${amount.toFixed(2)} USD.`,
      delayMs: rng.int(20_000, 80_000),
    };
  });
  return { instruction: "Refund every customer charged twice by the checkout retry bug (INC-2291).", onBehalfOf: ON_BEHALF_OF.finance[0], steps };
}
