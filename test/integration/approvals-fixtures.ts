// Shared by the approvals-*.test.ts files: a catalog with a system per test file, a policy that
// allows extensions, and pending checkpoints with realistic decisions (params, reasoning,
// delegation chain), written as POST /decisions leaves them.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";

export async function makeSystem(actions: Array<{ verb: string; category: ActionCategory; risk: RiskLevel }>) {
  const key = `s${randomUUID().slice(0, 6)}`;
  const system = await db().system.create({ data: { key, name: `System ${key}` }, select: { id: true, key: true } });
  const keys: Record<string, string> = {};
  for (const action of actions) {
    const created = await db().action.create({
      data: { systemId: system.id, key: `${key}.${action.verb}`, name: action.verb, category: action.category, risk: action.risk },
      select: { key: true },
    });
    keys[action.verb] = created.key;
  }
  return { key, actions: keys };
}

export async function makePolicy(options: { maxExtendSeconds?: number; expirySeconds?: number; requiredApprovals?: number } = {}) {
  return db().globalPolicy.create({
    data: {
      name: `Policy ${randomUUID().slice(0, 8)}`,
      category: "financial",
      requiredApprovals: options.requiredApprovals ?? 1,
      expirySeconds: options.expirySeconds ?? 900,
      maxExtendSeconds: options.maxExtendSeconds ?? 0,
    },
    select: { id: true, name: true },
  });
}

export interface CheckpointSpec {
  action?: string;
  resource?: string | null;
  params?: Prisma.InputJsonValue;
  requiredApprovals?: number;
  expiresInMs?: number;
  createdAt?: Date;
  policyId?: string | null;
  onBehalfOf?: string;
  delegationChain?: Prisma.InputJsonValue;
}

export async function makeCheckpoint(agentId: string, spec: CheckpointSpec = {}) {
  const createdAt = spec.createdAt ?? new Date();
  const decision = await db().decision.create({
    data: {
      agentId,
      action: spec.action ?? "unknown.thing.do",
      resource: spec.resource === undefined ? "accounts/42" : spec.resource,
      params: spec.params ?? { amount: 1200, currency: "EUR" },
      instruction: "Refund the double charge on ticket 4711.",
      considered: ["refund the full amount", "refund the difference", "ask the customer"],
      chosen: "refund the difference",
      rationale: "The customer was charged twice; the second charge is the duplicate.",
      onBehalfOf: spec.onBehalfOf ?? "jamie.chen@example.com",
      delegationChain: spec.delegationChain,
      effect: "pending",
      reason: spec.policyId ? "policy_checkpoint" : "requires_approval",
      ruleId: spec.policyId ?? null,
      createdAt,
    },
    select: { id: true },
  });
  const checkpoint = await db().checkpoint.create({
    data: {
      decisionId: decision.id,
      agentId,
      digest: "d".repeat(64),
      requiredApprovals: spec.requiredApprovals ?? 1,
      policyId: spec.policyId ?? null,
      createdAt,
      changedAt: createdAt,
      expiresAt: new Date(Date.now() + (spec.expiresInMs ?? 15 * 60_000)),
    },
    select: { id: true },
  });
  return { decisionId: decision.id, checkpointId: checkpoint.id };
}
