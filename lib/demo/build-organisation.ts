// Turns the demo organisation (demo-org.ts, demo-agents.ts) into rows with a believable past:
// the catalog set up two months ago, each agent registered, drilled and activated on its own
// date, and the audit events those steps left behind.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionCategory } from "@/lib/generated/prisma/enums";
import { DEMO_AGENTS } from "@/lib/demo/demo-agents";
import { DEMO_CATALOG, DEMO_POLICIES, type DemoAgent, type DemoLine, type DemoPersonKey, type DemoPolicy } from "@/lib/demo/demo-org";
import type { Rng } from "@/lib/demo/prng";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export type PersonIds = Record<DemoPersonKey, string>;
type AuditRow = Prisma.AuditEventCreateManyInput;

export interface DemoAgentRows {
  id: string;
  spec: DemoAgent;
  lines: Array<DemoLine & { id: string }>;
  createdAt: Date;
  activatedAt: Date | null;
}

/** An audit row written by the demo; "via" marks it the way recordAudit marks a channel. */
export function demoAudit(actor: { person?: string; agent?: string }, type: string, at: Date, event: Omit<AuditRow, "actorType" | "type" | "createdAt">): AuditRow {
  const data = event.data && typeof event.data === "object" && !Array.isArray(event.data) ? event.data : {};
  return {
    ...event,
    actorType: actor.person ? "person" : actor.agent ? "agent" : "system",
    actorPersonId: actor.person ?? null,
    actorAgentId: actor.agent ?? null,
    type,
    createdAt: at,
    data: { ...(data as Prisma.InputJsonObject), via: "demo" },
  };
}

export function buildOrganisation(now: Date, people: PersonIds, rng: Rng) {
  const ago = (days: number, minutes = 0) => new Date(now.getTime() - days * DAY + minutes * MINUTE);
  const audit: AuditRow[] = [];
  const admin = people.admin;

  const setUpAt = ago(70);
  const systems: Prisma.SystemCreateManyInput[] = [];
  const actions: Prisma.ActionCreateManyInput[] = [];
  const actionIds = new Map<string, string>();
  const categories = new Map<string, ActionCategory>();
  for (const system of DEMO_CATALOG) {
    const systemId = randomUUID();
    systems.push({ id: systemId, key: system.key, name: system.name, description: system.description, createdAt: setUpAt, updatedAt: setUpAt });
    for (const [key, name, category, risk, description] of system.actions) {
      const id = randomUUID();
      actionIds.set(key, id);
      categories.set(key, category);
      actions.push({ id, systemId, key, name, description, category, risk, createdAt: setUpAt, updatedAt: setUpAt });
    }
    audit.push(
      demoAudit({ person: admin }, "catalog.system.created", setUpAt, {
        subjectType: "system",
        subjectId: systemId,
        data: { key: system.key, actions: system.actions.map(([key, , category, risk]) => ({ key, category, risk })) },
      }),
    );
  }

  const policies: Array<DemoPolicy & { id: string }> = DEMO_POLICIES.map((policy) => ({ ...policy, id: randomUUID() }));
  const policyRows: Prisma.GlobalPolicyCreateManyInput[] = policies.map((policy, index) => {
    const at = ago(69, index * 7);
    audit.push(demoAudit({ person: admin }, "policy.created", at, { subjectType: "global_policy", subjectId: policy.id, data: { ...policyData(policy) } }));
    return {
      id: policy.id,
      name: policy.name,
      category: policy.category ?? null,
      actionId: policy.action ? actionIds.get(policy.action) : null,
      conditions: policy.conditions,
      requiredApprovals: policy.requiredApprovals,
      expirySeconds: policy.expirySeconds,
      maxExtendSeconds: policy.maxExtendSeconds,
      createdById: admin,
      createdAt: at,
      updatedAt: at,
    };
  });

  const agents: DemoAgentRows[] = [];
  const permissions: Prisma.PermissionCreateManyInput[] = [];
  const owners: Prisma.AgentOwnerCreateManyInput[] = [];
  const drills: Prisma.KillDrillCreateManyInput[] = [];
  const stateChanges: Prisma.StateChangeCreateManyInput[] = [];
  for (const spec of DEMO_AGENTS) {
    const id = randomUUID();
    const createdAt = ago(spec.registeredDaysAgo, 9 * 60 + rng.int(0, 300));
    const activatedAt = spec.activatedDaysAgo === undefined ? null : ago(spec.activatedDaysAgo, 10 * 60 + rng.int(0, 360));
    const lines = spec.lines.map((line) => ({ ...line, id: randomUUID() }));
    agents.push({ id, spec, lines, createdAt, activatedAt });
    audit.push(
      demoAudit({ person: admin }, "agent.created", createdAt, {
        agentId: id,
        subjectType: "agent",
        subjectId: id,
        data: {
          slug: spec.slug,
          name: spec.name,
          environment: spec.environment,
          maturity: "intern",
          deployedBy: people[spec.deployedBy],
          owners: spec.owners.map((owner) => people[owner]),
          technicalOwner: spec.technicalOwner ? people[spec.technicalOwner] : null,
        },
      }),
    );
    for (const owner of spec.owners) owners.push({ agentId: id, personId: people[owner], createdAt });
    lines.forEach((line, position) => {
      const at = new Date(createdAt.getTime() + (position + 1) * MINUTE);
      permissions.push({
        id: line.id,
        agentId: id,
        actionId: actionIds.get(line.action) as string,
        position,
        effect: line.effect,
        conditions: line.conditions as Prisma.InputJsonObject | undefined,
        onConditionFail: line.onConditionFail ?? "deny",
        rateLimitPerMinute: line.rateLimitPerMinute ?? null,
        rateLimitPerHour: line.rateLimitPerHour ?? null,
        justification: line.justification,
        addedById: admin,
        createdAt: at,
        updatedAt: at,
      });
      audit.push(demoAudit({ person: admin }, "permission.added", at, { agentId: id, subjectType: "permission", subjectId: line.id, data: lineData(line) }));
    });
    if (activatedAt) pushActivation({ people, spec, id, activatedAt, rng, drills, stateChanges, audit });
  }
  return { systems, actions, policyRows, policies, categories, agents, permissions, owners, drills, stateChanges, audit };
}

function pushActivation(input: {
  people: PersonIds;
  spec: DemoAgent;
  id: string;
  activatedAt: Date;
  rng: Rng;
  drills: Prisma.KillDrillCreateManyInput[];
  stateChanges: Prisma.StateChangeCreateManyInput[];
  audit: AuditRow[];
}) {
  const { people, spec, id, activatedAt, rng, drills, stateChanges, audit } = input;
  // The drill comes first: no agent goes live without a kill switch that was seen to work.
  const owner = people[spec.technicalOwner ?? spec.owners[0] ?? "admin"];
  const startedAt = new Date(activatedAt.getTime() - rng.int(20, 50) * MINUTE);
  const latencyMs = rng.int(150, 600);
  const drillId = randomUUID();
  const acknowledgedAt = new Date(startedAt.getTime() + latencyMs);
  drills.push({ id: drillId, agentId: id, startedById: owner, status: "passed", thresholdMs: 1000, startedAt, acknowledgedAt, latencyMs });
  audit.push(demoAudit({ person: owner }, "kill_drill.started", startedAt, { agentId: id, subjectType: "kill_drill", subjectId: drillId, data: { thresholdMs: 1000 } }));
  audit.push(
    demoAudit({ agent: id }, "kill_drill.acknowledged", acknowledgedAt, { agentId: id, subjectType: "kill_drill", subjectId: drillId, data: { latencyMs, status: "passed" } }),
  );
  const reason = `Kill drill passed in ${latencyMs} ms; written list reviewed with the owners.`;
  const changeId = randomUUID();
  stateChanges.push({ id: changeId, kind: "activate", scope: "agent", agentId: id, fromStatus: "draft", toStatus: "active", reason, actorPersonId: people.admin, createdAt: activatedAt });
  audit.push(
    demoAudit({ person: people.admin }, "agent.activated", activatedAt, { agentId: id, subjectType: "state_change", subjectId: changeId, data: { from: "draft", to: "active", reason } }),
  );
  // Promoted one level at a time, each step after a spell at the level below.
  const ladder = ["intern", "junior", "senior", "principal"] as const;
  const afterDays = [0, 3, 10, 25];
  for (let level = 1; level <= ladder.indexOf(spec.maturity); level += 1) {
    const promotedAt = new Date(activatedAt.getTime() + (afterDays[level] as number) * DAY + rng.int(0, 240) * MINUTE);
    audit.push(
      demoAudit({ person: people.admin }, "agent.promoted", promotedAt, {
        agentId: id,
        subjectType: "agent",
        subjectId: id,
        data: { from: ladder[level - 1] as string, to: ladder[level] as string, signedOffBy: owner, reason: "Promotion gates met: clean decision record, drill passed, owners signed off." },
      }),
    );
  }
}

function policyData(policy: DemoPolicy): Prisma.InputJsonObject {
  return {
    name: policy.name,
    category: policy.category ?? null,
    action: policy.action ?? null,
    conditions: policy.conditions ?? null,
    requiredApprovals: policy.requiredApprovals,
    expirySeconds: policy.expirySeconds,
  };
}

function lineData(line: DemoLine): Prisma.InputJsonObject {
  return {
    action: line.action,
    effect: line.effect,
    conditions: (line.conditions as Prisma.InputJsonObject | undefined) ?? null,
    onConditionFail: line.onConditionFail ?? "deny",
    rateLimitPerMinute: line.rateLimitPerMinute ?? null,
    rateLimitPerHour: line.rateLimitPerHour ?? null,
    justification: line.justification,
  };
}
