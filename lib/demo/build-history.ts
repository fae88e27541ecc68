// Seven days of the demo agents' decisions, from the scenarios: laid out on a working-hours
// timeline, labelled against the written lists in time order (so rate limits count), with
// reasoning, traces, hops between agents and the outcomes the agents reported.
import { randomUUID } from "node:crypto";
import type { ActionCategory, DecisionEffect, Maturity, OutcomeStatus } from "@/lib/generated/prisma/enums";
import type { DemoLine, DemoPolicy } from "@/lib/demo/demo-org";
import { labelDecision, type JsonParams, type Label } from "@/lib/demo/label-decision";
import { createRng, type Rng } from "@/lib/demo/prng";
import { dealEpisode, dedupeEpisode, enrichEpisode, updateFieldEpisode } from "@/lib/demo/scenarios/crm";
import { fixAndMergeEpisode, foreignRepoEpisode, rerunEpisode, reviewEpisode } from "@/lib/demo/scenarios/code-review";
import { cardChangeEpisode, incidentRefundEpisode, payoutEpisode, refundQueueEpisode } from "@/lib/demo/scenarios/finance";
import { downgradeEpisode, erasureEpisode, refundHandoffEpisode, triageEpisode } from "@/lib/demo/scenarios/support";
import type { EpisodeSpec } from "@/lib/demo/scenarios/types";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface HistoryAgent {
  id: string;
  slug: string;
  maturity: Maturity;
  lines: ReadonlyArray<DemoLine & { id: string }>;
}

export interface HistoryInput {
  now: Date;
  rng: Rng;
  agents: readonly HistoryAgent[];
  categories: ReadonlyMap<string, ActionCategory>;
  policies: ReadonlyArray<DemoPolicy & { id: string }>;
}

export interface DemoDecision {
  id: string;
  agentId: string;
  agentSlug: string;
  action: string;
  resource: string | null;
  params: JsonParams | null;
  instruction: string;
  considered: string[];
  chosen: string;
  rationale: string;
  onBehalfOf: string;
  traceId: string;
  parentDecisionId: string | null;
  effect: DecisionEffect;
  reason: string;
  ruleId: string | null;
  checkpoint?: Label["checkpoint"];
  latencyMicros: number;
  /** A senior agent's allowed non-read action: its owners are told (DESIGN.md §5 rule 6). */
  notifyOwners: boolean;
  createdAt: Date;
  /** What the agent reports if it goes ahead. */
  summary: string;
  outcome?: { status: OutcomeStatus; summary: string; at: Date; data?: { durationMs: number } };
  /** Still waiting for people now (the live part of the approval inbox). */
  live: boolean;
  /** Part of a named burst the alerts point at. */
  burst?: "incident-refunds" | "fix-and-merge";
}

interface Planned {
  start: number;
  episode: EpisodeSpec;
  live?: boolean;
  burst?: DemoDecision["burst"];
}

/** Episode start times for the past week: mostly working hours (UTC), ending an hour before now. */
function pastStart(rng: Rng, now: number): number {
  for (;;) {
    const time = now - 70 * MINUTE - Math.floor(rng.next() * (7 * DAY - 2 * HOUR));
    const date = new Date(time);
    const weekday = date.getUTCDay() !== 0 && date.getUTCDay() !== 6;
    const office = date.getUTCHours() >= 7 && date.getUTCHours() < 19;
    if (rng.chance(weekday && office ? 1 : weekday ? 0.12 : 0.05)) return time;
  }
}

function atUtc(now: number, daysAgo: number, hours: number, minutes: number): number {
  const day = new Date(now - daysAgo * DAY);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hours, minutes);
}

function plan(rng: Rng, now: number): Planned[] {
  const planned: Planned[] = [];
  // Start times draw from their own stream: how many draws they take depends on today's date,
  // and the episodes' contents should not.
  const clock = createRng(0x5eed);
  const add = (count: number, build: (rng: Rng) => EpisodeSpec) => {
    for (let i = 0; i < count; i += 1) planned.push({ start: pastStart(clock, now), episode: build(rng) });
  };
  add(48, triageEpisode);
  add(2, erasureEpisode);
  add(3, downgradeEpisode);
  add(12, (r) => refundHandoffEpisode(r));
  add(9, (r) => refundQueueEpisode(r));
  add(1, payoutEpisode);
  add(1, cardChangeEpisode);
  add(18, (r) => dedupeEpisode(r));
  add(4, enrichEpisode);
  add(4, (r) => updateFieldEpisode(r));
  add(2, (r) => updateFieldEpisode(r, { field: "owner" }));
  add(1, dealEpisode);
  add(22, reviewEpisode);
  add(2, foreignRepoEpisode);
  add(2, rerunEpisode);
  planned.push({ start: atUtc(now, 4, 14, 5), episode: incidentRefundEpisode(rng, 24), burst: "incident-refunds" });
  planned.push({ start: atUtc(now, 2, 13, 40), episode: fixAndMergeEpisode(rng), burst: "fix-and-merge" });
  // The approval inbox right now: recent enough that every checkpoint is still open.
  const live: Array<(rng: Rng) => EpisodeSpec> = [
    (r) => refundQueueEpisode(r, { amount: 2480, currency: "USD" }),
    (r) => dedupeEpisode(r, { merge: true }),
    (r) => refundHandoffEpisode(r, { amount: 740, currency: "EUR" }),
    (r) => updateFieldEpisode(r, { field: "industry" }),
    (r) => refundQueueEpisode(r, { amount: 1150, currency: "GBP" }),
    enrichEpisode,
    (r) => refundQueueEpisode(r, { amount: 95, currency: "CAD" }),
  ];
  live.forEach((build, index) => planned.push({ start: now - (9 - index * 1.25) * MINUTE, episode: build(rng), live: true }));
  return planned;
}

export function buildHistory(input: HistoryInput): DemoDecision[] {
  const { rng } = input;
  const now = input.now.getTime();
  const agents = new Map(input.agents.map((agent) => [agent.slug, agent]));
  const usage = new Map<string, number[]>();

  // Lay every step on the timeline first, then label in time order so rate limits see the past.
  const steps: Array<{ at: number; decision: Omit<DemoDecision, "effect" | "reason" | "ruleId" | "latencyMicros" | "notifyOwners"> }> = [];
  for (const { start, episode, live, burst } of plan(rng, now)) {
    const traceId = rng.hex(32);
    const ids = episode.steps.map(() => randomUUID());
    let at = start;
    let instruction = episode.instruction;
    episode.steps.forEach((step, index) => {
      at += step.delayMs ?? rng.int(300, 2500);
      instruction = step.instruction ?? instruction;
      const agent = agents.get(step.agent);
      if (!agent) throw new Error(`demo scenario names an unknown agent: ${step.agent}`);
      steps.push({
        at,
        decision: {
          id: ids[index] as string,
          agentId: agent.id,
          agentSlug: agent.slug,
          action: step.action,
          resource: step.resource ?? null,
          params: step.params ?? null,
          instruction,
          considered: step.considered,
          chosen: step.chosen,
          rationale: step.rationale,
          onBehalfOf: episode.onBehalfOf,
          traceId,
          parentDecisionId: step.parent === undefined ? null : (ids[step.parent] ?? null),
          createdAt: new Date(at),
          summary: step.summary,
          live: live ?? false,
          burst,
        },
      });
    });
  }
  steps.sort((a, b) => a.at - b.at);

  return steps.map(({ at, decision }) => {
    const agent = agents.get(decision.agentSlug) as HistoryAgent;
    const label = labelDecision(
      { maturity: agent.maturity, lines: agent.lines, categories: input.categories, policies: input.policies, usage },
      { action: decision.action, resource: decision.resource ?? undefined, params: decision.params ?? undefined, at: new Date(at) },
    );
    const skew = rng.next() ** 3;
    const latencyMicros = label.effect === "pending" ? 600 + Math.floor(skew * 2400) : 200 + Math.floor(skew * 1800);
    const notifyOwners = label.effect === "allow" && agent.maturity === "senior" && input.categories.get(decision.action) !== "read";
    const result: DemoDecision = { ...decision, effect: label.effect, reason: label.reason, ruleId: label.ruleId, checkpoint: label.checkpoint, latencyMicros, notifyOwners };
    if (label.effect === "allow") result.outcome = allowedOutcome(rng, decision.summary, at, decision.action);
    return result;
  });
}

function allowedOutcome(rng: Rng, summary: string, at: number, action: string): DemoDecision["outcome"] {
  const durationMs = rng.int(120, 3800);
  const roll = rng.next();
  const system = action.split(".")[0] ?? "the system";
  if (roll < 0.04) return { status: "failed", summary: `${system} timed out after 10 s; will retry on the next run.`, at: new Date(at + 10_000), data: { durationMs: 10_000 } };
  if (roll < 0.07) return { status: "skipped", summary: "Nothing to change after all.", at: new Date(at + durationMs), data: { durationMs } };
  return { status: "succeeded", summary, at: new Date(at + durationMs), data: { durationMs } };
}
