// What must be true before an agent goes live, as a list of named checks. Each is a plain
// predicate over facts loaded once, so another requirement is one more entry here (the kill
// switch issue adds "a passed kill drill within KILL_DRILL_MAX_AGE_DAYS"; the fact is loaded already).
import "server-only";
import { db, type Db, type Tx } from "@/lib/db/client";

export const KILL_DRILL_MAX_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

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
];

/** True when a drill passed within the last `days` days. */
export function passedDrillWithin(facts: Pick<ActivationFacts, "lastPassedDrillAt" | "now">, days = KILL_DRILL_MAX_AGE_DAYS): boolean {
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
