// What must be true before an agent goes live, as a list of named checks. Each is a plain
// predicate over facts loaded once, so another requirement is one more entry here.
import "server-only";
import { z } from "zod";
import { ConfigError } from "@/lib/config/env";
import { db, type Db, type Tx } from "@/lib/db/client";

/** The default age limit of the passed kill drill activation needs (MANDATE_DRILL_MAX_AGE_DAYS overrides it). */
export const KILL_DRILL_MAX_AGE_DAYS = 90;
const DAY_MS = 86_400_000;
const maxAgeDays = z.coerce.number().int().min(1).max(3650);

/** MANDATE_DRILL_MAX_AGE_DAYS, a whole number of days from 1 to 3650; throws ConfigError with one clear line. */
export function killDrillMaxAgeDays(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.MANDATE_DRILL_MAX_AGE_DAYS?.trim();
  if (raw === undefined || raw === "") return KILL_DRILL_MAX_AGE_DAYS;
  const parsed = maxAgeDays.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`MANDATE_DRILL_MAX_AGE_DAYS must be a whole number of days from 1 to 3650, not "${raw}".`);
  return parsed.data;
}

export interface ActivationFacts {
  ownerCount: number;
  lineCount: number;
  lastPassedDrillAt: Date | null;
  now: Date;
}

export interface UnmetCheck {
  key: string;
  requirement: string;
  nextStep: string;
}

export interface ActivationCheck extends UnmetCheck {
  met(facts: ActivationFacts): boolean;
}

export const ACTIVATION_CHECKS: readonly ActivationCheck[] = [
  {
    key: "owner",
    requirement: "At least one business owner",
    nextStep: "Name a business owner under People on the overview tab.",
    met: (facts) => facts.ownerCount > 0,
  },
  {
    key: "written_list",
    requirement: "A written list with at least one line",
    nextStep: "Add the actions it may take on the permissions tab.",
    met: (facts) => facts.lineCount > 0,
  },
  {
    key: "kill_drill",
    // Read when shown, so the text names the limit in force.
    get requirement() {
      return `A passed kill drill within the last ${killDrillMaxAgeDays()} days`;
    },
    nextStep: "Run a kill drill from the kill switch & drills tab while the agent is connected.",
    met: (facts) => passedDrillWithin(facts),
  },
];

/** True when a drill passed within the last `days` days (by default MANDATE_DRILL_MAX_AGE_DAYS, else 90). */
export function passedDrillWithin(facts: Pick<ActivationFacts, "lastPassedDrillAt" | "now">, days = killDrillMaxAgeDays()): boolean {
  return facts.lastPassedDrillAt !== null && facts.now.getTime() - facts.lastPassedDrillAt.getTime() <= days * DAY_MS;
}

export function unmetActivationChecks(facts: ActivationFacts, checks: readonly ActivationCheck[] = ACTIVATION_CHECKS): UnmetCheck[] {
  return checks.filter((check) => !check.met(facts)).map(({ key, requirement, nextStep }) => ({ key, requirement, nextStep }));
}

export async function loadActivationFacts(client: Db | Tx, agentId: string, now = new Date()): Promise<ActivationFacts> {
  // One after another: inside a transaction the queries share one connection anyway.
  const ownerCount = await client.agentOwner.count({ where: { agentId } });
  const lineCount = await client.permission.count({ where: { agentId } });
  const drill = await client.killDrill.findFirst({ where: { agentId, status: "passed" }, orderBy: { startedAt: "desc" }, select: { startedAt: true } });
  return { ownerCount, lineCount, lastPassedDrillAt: drill?.startedAt ?? null, now };
}

/** For the overview tab: what still stands between this agent and activation. */
export async function getUnmetActivationChecks(agentId: string): Promise<UnmetCheck[]> {
  return unmetActivationChecks(await loadActivationFacts(db(), agentId));
}
