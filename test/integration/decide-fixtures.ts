// A small organisation for the POST /decisions tests: one system with an action per category that
// matters, a two-approver policy on financial actions, agents at every maturity and status, and
// a key for each. Written through Prisma and the key use case, as the console would.
import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/audit/record";
import { createCredential } from "@/lib/credentials/create-credential";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionCategory, AgentStatus, Maturity, PermissionEffect } from "@/lib/generated/prisma/enums";

export const ACTIONS: Record<string, ActionCategory> = {
  "t.doc.read": "read",
  "t.doc.list": "read",
  "t.doc.write": "write",
  "t.doc.delete": "delete",
  "t.pay.send": "financial",
  "t.mail.send": "external_communication",
};

export interface LineSpec {
  action: string;
  effect?: PermissionEffect;
  conditions?: Prisma.InputJsonObject;
  onConditionFail?: PermissionEffect;
  perMinute?: number;
  perHour?: number;
}

export interface TestAgent {
  id: string;
  slug: string;
  key: string;
  credentialId: string;
  lines: Record<string, string>;
}

export interface Org {
  adminId: string;
  admin: { id: string; roles: ["admin"] };
  actor: Actor;
  actionIds: Record<string, string>;
  policyId: string;
}

export async function seedOrg(): Promise<Org> {
  const admin = await db().person.create({ data: { email: `admin-${randomUUID().slice(0, 8)}@example.com`, name: "Ada Admin", roles: ["admin"] } });
  const system = await db().system.create({ data: { key: "t", name: "Test system" } });
  const actionIds: Record<string, string> = {};
  for (const [key, category] of Object.entries(ACTIONS)) {
    actionIds[key] = (await db().action.create({ data: { systemId: system.id, key, name: key, category, risk: "low" } })).id;
  }
  const policy = await db().globalPolicy.create({
    data: { name: "Money needs two", category: "financial", requiredApprovals: 2, expirySeconds: 600, createdById: admin.id },
  });
  return {
    adminId: admin.id,
    admin: { id: admin.id, roles: ["admin"] },
    actor: { type: "person", personId: admin.id, requestId: randomUUID(), via: "console" },
    actionIds,
    policyId: policy.id,
  };
}

export async function makeAgent(
  org: Org,
  spec: { slug?: string; maturity?: Maturity; status?: AgentStatus; lines: LineSpec[]; keyExpiresAt?: Date },
): Promise<TestAgent> {
  const slug = spec.slug ?? `agent-${randomUUID().slice(0, 8)}`;
  const agent = await db().agent.create({
    data: {
      slug,
      name: `Agent ${slug}`,
      purpose: "Tests the agent API.",
      environment: "staging",
      // Keys are issued while active; the status is set after (a retired agent cannot get one).
      status: "active",
      maturity: spec.maturity ?? "principal",
      deployedById: org.adminId,
      technicalOwnerId: org.adminId,
      owners: { create: [{ personId: org.adminId }] },
    },
  });
  const lines: Record<string, string> = {};
  for (const [position, line] of spec.lines.entries()) {
    const created = await db().permission.create({
      data: {
        agentId: agent.id,
        actionId: org.actionIds[line.action]!,
        position,
        effect: line.effect ?? "allow",
        conditions: line.conditions,
        onConditionFail: line.onConditionFail ?? "deny",
        rateLimitPerMinute: line.perMinute ?? null,
        rateLimitPerHour: line.perHour ?? null,
        justification: "test",
      },
    });
    lines[line.action] = created.id;
  }
  const key = await db().$transaction((tx) =>
    createCredential(tx, org.actor, { agentId: agent.id, label: "test", ...(spec.keyExpiresAt ? { expiresAt: spec.keyExpiresAt } : {}) }),
  );
  if (spec.status && spec.status !== "active") {
    await db().agent.update({ where: { id: agent.id }, data: { status: spec.status, stateVersion: { increment: 1 } } });
  }
  return { id: agent.id, slug, key: key.key, credentialId: key.id, lines };
}

export async function decisionRow(id: string) {
  return db().decision.findUnique({ where: { id }, include: { checkpoint: true } });
}

export async function auditRowOf(decisionId: string) {
  return db().auditEvent.findFirst({ where: { type: "decision.made", subjectId: decisionId } });
}
