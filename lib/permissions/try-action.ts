// "Try an action": what the decision engine would answer if the agent asked this now (or at a
// given time), against its current list, state and the global policies. It writes nothing: the
// reads run in a READ ONLY transaction, so even a mistake here could not change a row.
import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { evaluate } from "@/lib/permissions/evaluate";
import { parseInput } from "@/lib/permissions/list-change";
import { engineInputFor, loadEngineSnapshot } from "@/lib/permissions/load-engine-input";
import { reasonText } from "@/lib/permissions/reasons";
import { tryInputSchema } from "@/lib/permissions/try-input";
import type { Decision, EngineInput } from "@/lib/permissions/types";

export interface TryResult {
  decision: Decision;
  reasonText: string;
  /** The deciding rule in words: "line 2: allow crm.contact.read", "global policy …". */
  rule: string;
  at: string;
}

function describeRule(decision: Decision, input: EngineInput): string {
  switch (decision.ruleKind) {
    case "permission": {
      const line = input.agent.lines.find((candidate) => candidate.id === decision.ruleId);
      if (!line) return "the written list (no line names this action)";
      return `line ${line.position + 1} of the written list: ${line.effect.replace("_", " ")} ${input.request.action}`;
    }
    case "policy":
      return `global policy "${input.policies.find((policy) => policy.id === decision.ruleId)?.name ?? decision.ruleId}"`;
    case "maturity":
      return `the maturity rule for a ${input.agent.agent.maturity} agent`;
    case "kill":
      return decision.ruleId ? "a capability kill switch" : decision.reason === "fleet_stopped" ? "stop-all" : `the agent's state (${input.agent.agent.status})`;
    case "delegation":
      return "the delegation chain";
    default:
      return "the catalog";
  }
}

export async function tryAction(person: Caller, input: unknown, now = new Date()): Promise<TryResult> {
  assertCan(person, "agents.view");
  const request = parseInput(tryInputSchema, input);
  const at = request.at ?? now;
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      const snapshot = await loadEngineSnapshot(tx, request.agentId, at, [request.action]);
      if (!snapshot) throw new AppError("not_found", "No such agent.");
      const engineInput = engineInputFor(snapshot, { action: request.action, resource: request.resource ?? null, params: request.params ?? null });
      const decision = evaluate(engineInput);
      return { decision, reasonText: reasonText(decision.reason), rule: describeRule(decision, engineInput), at: at.toISOString() };
    },
    { isolationLevel: "RepeatableRead" },
  );
}
