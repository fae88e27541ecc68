// One flush of the group-commit writer: a single transaction of three round trips — open, lock
// and read the kill state; insert every decision, its audit row and any checkpoint in one
// multi-row statement (unnest arrays); commit. See group-commit.ts for why kills are safe.
import type pg from "pg";
import { agentsToLock, applyKillGuard, type GuardedDecision, type LockedState } from "@/lib/decisions/apply-kill-guard";
import { lockAndReadSql } from "@/lib/decisions/lock-decision-state";
import { applyRateGuard } from "@/lib/decisions/apply-rate-guard";
import type { PreparedEntry } from "@/lib/decisions/prepare-entry";

// Data-modifying CTEs all run, referenced or not, and foreign keys are checked at the end of the
// statement, so a checkpoint may point at a decision inserted by the same statement. The audit
// row's data and reasoning are built here from the decision's columns (cheaper than parsing the
// same JSON twice); `overridden` records what the kill guard replaced.
const INSERT = `
WITH t AS MATERIALIZED (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::jsonb[], $9::text[],
    $10::text[], $11::text[], $12::text[], $13::uuid[], $14::uuid[], $15::jsonb[], $16::"DecisionEffect"[], $17::text[], $18::text[],
    $19::int4[], $20::timestamptz[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $37::bool[])
    WITH ORDINALITY AS t(id, agent_id, credential_id, action, resource, params, instruction, considered, chosen, rationale,
      on_behalf_of, trace_id, parent_decision_id, delegation_id, delegation_chain, effect, reason, rule_id, latency_micros,
      created_at, request_id, ip, user_agent, parent_id, overridden_effect, overridden_reason, overridden_rule_id, notify_owners, position)
), d AS (
  INSERT INTO decision (id, agent_id, credential_id, action, resource, params, instruction, considered, chosen, rationale,
    on_behalf_of, trace_id, parent_decision_id, delegation_id, delegation_chain, effect, reason, rule_id, latency_micros, created_at,
    notify_owners)
  SELECT id, agent_id, credential_id, action, resource, params, instruction, considered, chosen, rationale,
    on_behalf_of, trace_id, parent_decision_id, delegation_id, delegation_chain, effect, reason, rule_id, latency_micros, created_at,
    notify_owners AND effect = 'allow'
  FROM t
), c AS (
  INSERT INTO checkpoint (id, decision_id, agent_id, digest, required_approvals, policy_id, permission_id, expires_at, created_at)
  SELECT * FROM unnest($28::uuid[], $29::uuid[], $30::uuid[], $31::text[], $32::int4[], $33::uuid[], $34::uuid[], $35::timestamptz[],
    $36::timestamptz[])
)
INSERT INTO audit_event (created_at, actor_type, actor_agent_id, request_id, ip, user_agent, agent_id, type, subject_type,
  subject_id, data, reasoning, trace_id, parent_id)
SELECT created_at, 'agent', agent_id, request_id, ip, user_agent, agent_id, 'decision.made', 'decision', id::text,
  jsonb_build_object('effect', effect, 'reason', reason, 'ruleId', rule_id, 'action', action, 'resource', resource, 'params', params)
    || CASE WHEN overridden_effect IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('overridden',
      jsonb_build_object('effect', overridden_effect, 'reason', overridden_reason, 'ruleId', overridden_rule_id)) END
    || CASE WHEN notify_owners AND effect = 'allow' THEN '{"ownersNotified": true}'::jsonb ELSE '{}'::jsonb END,
  jsonb_build_object('instruction', instruction, 'considered', considered, 'chosen', chosen, 'rationale', rationale),
  trace_id, parent_id
FROM t
ORDER BY position`;

/** Runs one flush on its own pooled connection; throws if anything fails (nothing is then committed). */
export async function insertDecisions(pool: pg.Pool, batch: readonly PreparedEntry[]): Promise<GuardedDecision[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection dying between two queries is reported only as an event; unheard, it would crash
  // the process. The query under way (or the next one) fails as well, which fails the flush.
  const onError = (error: Error) => (broken = error);
  client.on("error", onError);
  try {
    const state = await lockState(client, batch);
    const finals = batch.map((prepared) => applyKillGuard(prepared.entry, state));
    await applyRateGuard(client, batch.map((prepared) => prepared.entry), finals);
    // Named, so each connection parses and plans it once (measured: about 0.5 ms less per flush).
    await client.query({ name: "mandate_insert_decisions", text: INSERT, values: columns(batch, finals) });
    await client.query("COMMIT");
    return finals;
  } catch (error) {
    // A connection that cannot even roll back is not handed out again.
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error("rollback failed");
    });
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/** Opens the transaction, takes the shared locks and reads the fleet switch and the batch's agents. */
async function lockState(client: pg.PoolClient, batch: readonly PreparedEntry[]): Promise<LockedState> {
  const agentIds = agentsToLock(batch.map((prepared) => prepared.entry));
  // A batch of denials depends on no state: nothing to lock.
  if (agentIds.length === 0) {
    await client.query("BEGIN");
    return { fleet: null, agents: new Map() };
  }
  const results = (await client.query(lockAndReadSql(agentIds))) as unknown as pg.QueryResult[];
  const fleet = results[3] as pg.QueryResult<{ stopped: boolean; version: number }> | undefined;
  const agents = results[4] as pg.QueryResult<{ id: string; status: string; state_version: number }> | undefined;
  if (!fleet || !agents) throw new Error("The kill-state read returned an unexpected shape.");
  return {
    fleet: fleet.rows[0] ?? null,
    agents: new Map(agents.rows.map((row) => [row.id, { status: row.status, stateVersion: row.state_version }])),
  };
}

function columns(batch: readonly PreparedEntry[], finals: readonly GuardedDecision[]): unknown[] {
  const cols = Array.from({ length: 37 }, () => new Array<unknown>());
  const push = (index: number, value: unknown) => cols[index - 1]!.push(value ?? null);
  batch.forEach((prepared, i) => {
    const final = finals[i]!;
    const { decision, audit, checkpoint } = prepared.entry;
    push(1, decision.id);
    push(2, decision.agentId);
    push(3, decision.credentialId);
    push(4, decision.action);
    push(5, decision.resource);
    push(6, prepared.params);
    push(7, decision.instruction);
    push(8, prepared.considered);
    push(9, decision.chosen);
    push(10, decision.rationale);
    push(11, decision.onBehalfOf);
    push(12, decision.traceId);
    push(13, decision.parentDecisionId);
    push(14, decision.delegationId);
    push(15, prepared.delegationChain);
    push(16, final.effect);
    push(17, final.reason);
    push(18, final.ruleId);
    push(19, decision.latencyMicros);
    push(20, decision.createdAt);
    push(21, audit.requestId);
    push(22, audit.ip);
    push(23, audit.userAgent);
    push(24, audit.parentId);
    push(25, final.rewritten ? decision.effect : null);
    push(26, final.rewritten ? decision.reason : null);
    push(27, final.rewritten ? decision.ruleId : null);
    push(37, decision.notifyOwners === true);
    if (checkpoint && final.keepCheckpoint) {
      push(28, checkpoint.id);
      push(29, decision.id);
      push(30, decision.agentId);
      push(31, checkpoint.digest);
      push(32, checkpoint.requiredApprovals);
      push(33, checkpoint.policyId);
      push(34, checkpoint.permissionId);
      push(35, checkpoint.expiresAt);
      push(36, decision.createdAt);
    }
  });
  return cols;
}
