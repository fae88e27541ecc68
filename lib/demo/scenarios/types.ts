// What a demo scenario produces: one traced piece of work, as the steps an agent asks about.
import type { JsonParams } from "@/lib/demo/label-decision";
import type { Rng } from "@/lib/demo/prng";

export interface StepSpec {
  agent: string;
  action: string;
  resource?: string;
  params?: JsonParams;
  considered: string[];
  chosen: string;
  rationale: string;
  /** The outcome the agent reports when it goes ahead. */
  summary: string;
  /** Set on the first step of a hop: the instruction the next agent received. */
  instruction?: string;
  /** Index of the earlier step (another agent's) whose decision handed this work over. */
  parent?: number;
  /** Pause before this step, in ms (default: a second or two). */
  delayMs?: number;
}

export interface EpisodeSpec {
  instruction: string;
  onBehalfOf: string;
  steps: StepSpec[];
}

export type Scenario<Options = void> = (rng: Rng, options: Options) => EpisodeSpec;

export const CUSTOMERS = [
  { company: "Northwind Traders", contact: "ana.lopez@northwind.example", id: "c_10482", plan: "Enterprise" },
  { company: "Globex", contact: "h.simpson@globex.example", id: "c_11907", plan: "Business" },
  { company: "Initech", contact: "peter.gibbons@initech.example", id: "c_12044", plan: "Starter" },
  { company: "Umbrella Health", contact: "a.wesker@umbrella-health.example", id: "c_12388", plan: "Enterprise" },
  { company: "Stark Logistics", contact: "pepper@stark-logistics.example", id: "c_13120", plan: "Business" },
  { company: "Vandelay Imports", contact: "art@vandelay.example", id: "c_13561", plan: "Starter" },
  { company: "Tyrell Systems", contact: "rachael@tyrell.example", id: "c_14007", plan: "Enterprise" },
  { company: "Soylent Foods", contact: "ops@soylent.example", id: "c_14552", plan: "Business" },
  { company: "Hooli", contact: "gavin@hooli.example", id: "c_15230", plan: "Enterprise" },
  { company: "Wayne Retail", contact: "lucius@wayne-retail.example", id: "c_15871", plan: "Business" },
] as const;

export type Customer = (typeof CUSTOMERS)[number];

export function money(rng: Rng, min: number, max: number): number {
  return Math.round((min + rng.next() * (max - min)) * 100) / 100;
}
