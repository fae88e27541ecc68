// Sales Ops CRM Hygiene (a junior: every change it makes waits for a person).
import { ON_BEHALF_OF } from "@/lib/demo/demo-org";
import type { Rng } from "@/lib/demo/prng";
import { CUSTOMERS, type EpisodeSpec, type StepSpec } from "@/lib/demo/scenarios/types";

const AGENT = "crm-hygiene";
const INDUSTRIES = ["Logistics", "Healthcare", "Retail", "Food & Beverage", "Software", "Manufacturing"];

function readContact(id: string, why: string): StepSpec {
  return {
    agent: AGENT,
    action: "crm.contact.read",
    resource: `contacts/${id}`,
    considered: ["Read the full record", "Compare on name and e-mail only"],
    chosen: "Read the full record",
    rationale: why,
    summary: `Contact ${id} read.`,
  };
}

function contactId(rng: Rng): string {
  return `c_${rng.int(20000, 39999)}`;
}

/** Two look-alike contacts; now and then they really are the same person and it proposes a merge. */
export function dedupeEpisode(rng: Rng, options: { merge?: boolean } = {}): EpisodeSpec {
  const a = contactId(rng);
  const b = contactId(rng);
  const customer = rng.pick(CUSTOMERS);
  const steps = [readContact(a, "Phone and company must match too before calling it a duplicate."), readContact(b, "The second candidate of the pair.")];
  if (options.merge ?? rng.chance(0.25)) {
    steps.push({
      agent: AGENT,
      action: "crm.record.delete",
      resource: `contacts/${b}`,
      considered: [`Merge ${b} into ${a} (deletes ${b})`, "Flag the pair for Sales Ops", "Leave both"],
      chosen: `Merge ${b} into ${a} (deletes ${b})`,
      rationale: `Same name, e-mail domain and phone at ${customer.company}; ${b} has no activity since it was imported.`,
      summary: `${b} merged into ${a}.`,
    });
  }
  return { instruction: "Nightly duplicate scan: check the next pair of look-alike contacts.", onBehalfOf: ON_BEHALF_OF.salesOps[0], steps };
}

/** Missing firmographics: ask the enrichment service about the company's domain. */
export function enrichEpisode(rng: Rng): EpisodeSpec {
  const id = contactId(rng);
  const customer = rng.pick(CUSTOMERS);
  const domain = customer.contact.split("@")[1] ?? "example.com";
  return {
    instruction: "Fill in missing company fields for contacts created this week.",
    onBehalfOf: ON_BEHALF_OF.salesOps[0],
    steps: [
      readContact(id, "Check which fields are actually missing before calling the vendor."),
      {
        agent: AGENT,
        action: "crm.enrichment.lookup",
        resource: `domains/${domain}`,
        params: { domain },
        considered: [`Look up ${domain}`, "Guess the industry from the company name"],
        chosen: `Look up ${domain}`,
        rationale: "Only the company domain leaves the CRM; no personal data is sent.",
        summary: `${domain}: ${rng.pick(INDUSTRIES)}, ${rng.int(50, 5000)} employees.`,
      },
    ],
  };
}

/** Writes an enriched field back; a person approves (junior). Sometimes it tries a field it may not touch. */
export function updateFieldEpisode(rng: Rng, options: { field?: string } = {}): EpisodeSpec {
  const id = contactId(rng);
  const field = options.field ?? rng.pick(["industry", "title", "company", "country"]);
  const value = field === "industry" ? rng.pick(INDUSTRIES) : field === "title" ? "Head of Operations" : field === "country" ? "DE" : rng.pick(CUSTOMERS).company;
  const owner = field === "owner";
  return {
    instruction: owner ? "Reassign contacts whose owner has left the company." : "Write back the enrichment results from this morning.",
    onBehalfOf: ON_BEHALF_OF.salesOps[0],
    steps: [
      readContact(id, "Make sure the field is still empty; a person may have filled it meanwhile."),
      {
        agent: AGENT,
        action: "crm.contact.update",
        resource: `contacts/${id}`,
        params: owner ? { field, value: "u_marcus.bell" } : { field, value },
        considered: owner ? ["Reassign to the team lead", "List the orphaned contacts for Sales Ops"] : [`Set ${field} to "${value}"`, "Leave it empty"],
        chosen: owner ? "Reassign to the team lead" : `Set ${field} to "${value}"`,
        rationale: owner ? "The owner's account is disabled; the team lead is the usual fallback." : `The enrichment service returned "${value}" with high confidence.`,
        summary: owner ? "Owner reassigned." : `${field} set.`,
      },
    ],
  };
}

export function dealEpisode(rng: Rng): EpisodeSpec {
  const deal = `deals/d_${rng.int(5000, 9999)}`;
  return {
    instruction: "Tidy up the pipeline: close deals with no activity in 90 days.",
    onBehalfOf: ON_BEHALF_OF.salesOps[0],
    steps: [
      {
        agent: AGENT,
        action: "crm.deal.update",
        resource: deal,
        params: { stage: "Closed lost", reason: "No activity in 90 days" },
        considered: ["Close the deal as lost", "Ask the account executive"],
        chosen: "Close the deal as lost",
        rationale: "No e-mails, calls or meetings logged since the last quarter.",
        summary: "Deal closed as lost.",
      },
    ],
  };
}
