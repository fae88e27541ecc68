// Checks and serializes a decision entry once, when it is enqueued, so a value PostgreSQL would
// refuse fails its own request at once instead of a whole batch later.
import { DecisionWriteError, type DecisionEntry } from "@/lib/decisions/decision-entry";

export interface PreparedEntry {
  entry: DecisionEntry;
  params: string | null;
  considered: string | null;
  delegationChain: string | null;
}

// PostgreSQL's jsonb refuses \u0000 and unpaired surrogates; JSON.stringify writes exactly those
// as escapes (a real escape follows an even number of backslashes).
const UNSTORABLE_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function prepareEntry(entry: DecisionEntry): PreparedEntry {
  const { decision } = entry;
  const texts = [
    decision.action,
    decision.resource,
    decision.instruction,
    decision.chosen,
    decision.rationale,
    decision.onBehalfOf,
    decision.traceId,
    decision.reason,
    decision.ruleId,
    entry.audit.requestId,
    entry.audit.ip,
    entry.audit.userAgent,
    entry.audit.parentId,
    entry.checkpoint?.digest,
  ];
  const uuids = [
    decision.id,
    decision.agentId,
    decision.credentialId,
    decision.parentDecisionId,
    decision.delegationId,
    entry.checkpoint?.id,
    entry.checkpoint?.policyId,
    entry.checkpoint?.permissionId,
    ...(entry.snapshot.delegators ?? []).map((delegator) => delegator.agentId),
  ];
  if (uuids.some((id) => id !== undefined && id !== null && !UUID.test(id))) throw new DecisionWriteError("rejected");
  // PostgreSQL text cannot hold NUL.
  if (texts.some((text) => typeof text === "string" && text.includes("\u0000"))) throw new DecisionWriteError("rejected");
  if (!Number.isInteger(decision.latencyMicros) || decision.latencyMicros < 0 || decision.latencyMicros > 2_147_483_647) {
    throw new DecisionWriteError("rejected");
  }
  if (Number.isNaN(decision.createdAt.getTime())) throw new DecisionWriteError("rejected");
  const checkpoint = entry.checkpoint;
  if (checkpoint && (!Number.isInteger(checkpoint.requiredApprovals) || checkpoint.requiredApprovals < 1 || Number.isNaN(checkpoint.expiresAt.getTime()))) {
    throw new DecisionWriteError("rejected");
  }
  return {
    entry,
    params: json(decision.params),
    considered: json(decision.considered),
    delegationChain: json(decision.delegationChain),
  };
}

function json(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // Cycles and BigInts: not a JSON value.
    throw new DecisionWriteError("rejected", { cause: error });
  }
  if (text === undefined || UNSTORABLE_JSON.test(text)) throw new DecisionWriteError("rejected");
  return text;
}
