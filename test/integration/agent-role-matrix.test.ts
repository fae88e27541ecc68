// Who may do what to agents, tested at the use cases themselves (the console actions and the CLI
// call these): DESIGN.md section 3 gives every one of them to admins only. Owners hold the kill
// switch and keys, not the registry; an owner of one agent has no more say over another.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { changeAgentStatus } from "@/lib/agents/change-agent-status";
import { changeMaturity } from "@/lib/agents/change-maturity";
import { registerAgent } from "@/lib/agents/register-agent";
import { setAgentOwners } from "@/lib/agents/set-agent-owners";
import { updateAgent } from "@/lib/agents/update-agent";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

type Who = "admin" | "approver" | "auditor" | "owner of this agent" | "owner of another agent" | "no roles";
const PEOPLE: Array<[Who, Role[]]> = [
  ["admin", ["admin"]],
  ["approver", ["approver"]],
  ["auditor", ["auditor"]],
  ["owner of this agent", []],
  ["owner of another agent", []],
  ["no roles", []],
];
const people = new Map<Who, { id: string; roles: Role[] }>();
let otherOwner: string;
let actionId: string;

beforeAll(async () => {
  for (const [who, roles] of PEOPLE) {
    const row = await db().person.create({ data: { email: `${who.replaceAll(" ", ".")}@matrix.test`, name: who, roles } });
    people.set(who, { id: row.id, roles });
  }
  otherOwner = (await db().person.create({ data: { email: "spare@matrix.test", name: "Spare" } })).id;
  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  actionId = (await db().action.create({ data: { key: "crm.contact.read", name: "Read", systemId: system.id, category: "read", risk: "low" } })).id;
  await db().agent.create({
    data: { slug: "someone-elses", name: "Other", purpose: "Owned by the other owner.", deployedById: otherOwner, owners: { create: [{ personId: person("owner of another agent").id }] } },
  });
});

function person(who: Who) {
  const found = people.get(who);
  if (!found) throw new Error(who);
  return found;
}

/** A fresh draft agent owned by "owner of this agent", with one line. */
async function freshAgent(status: "draft" | "active" = "draft") {
  const row = await db().agent.create({
    data: {
      slug: `m-${randomUUID().slice(0, 8)}`,
      name: "Matrix",
      purpose: "Target of the role matrix.",
      status,
      deployedById: otherOwner,
      owners: { create: [{ personId: person("owner of this agent").id }] },
      permissions: { create: [{ actionId, effect: "allow", justification: "Reads." }] },
      // Activation needs a passed kill drill (issue 6).
      drills: { create: [{ startedById: otherOwner, status: "passed", latencyMs: 300 }] },
    },
  });
  return row.id;
}

type UseCase = (who: { id: string; roles: Role[] }, actor: Actor, agentId: string) => Promise<unknown>;
const USE_CASES: Array<[string, UseCase]> = [
  [
    "registerAgent",
    (who, actor) =>
      registerAgent(who, actor, { name: "New", slug: `n-${randomUUID().slice(0, 8)}`, purpose: "Registered by the matrix.", ownerIds: [otherOwner], lines: [{ action: "crm.contact.read", effect: "allow", justification: "Reads." }] }),
  ],
  ["updateAgent", (who, actor, agentId) => updateAgent(who, actor, { agentId, name: "Renamed" })],
  ["setAgentOwners", (who, actor, agentId) => setAgentOwners(who, actor, { agentId, ownerIds: [otherOwner], technicalOwnerId: null })],
  ["changeAgentStatus (activate)", (who, actor, agentId) => changeAgentStatus(who, actor, { agentId, to: "active" })],
  ["changeAgentStatus (retire)", (who, actor, agentId) => changeAgentStatus(who, actor, { agentId, to: "retired", reason: "Matrix retire." })],
  ["changeMaturity", (who, actor, agentId) => changeMaturity(who, actor, { agentId, change: "promote", reason: "Matrix promotion." })],
];

const cases = USE_CASES.flatMap(([name, run]) => PEOPLE.map(([who]) => ({ name, who, run, allowed: who === "admin" })));

const footprint = () => Promise.all([db().agent.count(), db().agentOwner.count(), db().stateChange.count(), db().auditEvent.count()]);

describe("agent use cases × roles", () => {
  it.each(cases)("$name by $who → allowed: $allowed", async ({ who, run, allowed }) => {
    const agentId = await freshAgent();
    const before = await db().agent.findUniqueOrThrow({ where: { id: agentId }, include: { owners: true } });
    const counts = await footprint();
    const subject = person(who);
    const outcome = await run(subject, { type: "person", personId: subject.id }, agentId).catch((caught: unknown) => caught);
    if (allowed) {
      expect(outcome).not.toBeInstanceOf(Error);
      expect((await footprint())[3]).toBeGreaterThan(counts[3]);
      return;
    }
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).code).toBe("forbidden");
    expect(await footprint()).toEqual(counts);
    expect(await db().agent.findUniqueOrThrow({ where: { id: agentId }, include: { owners: true } })).toEqual(before);
  });
});
