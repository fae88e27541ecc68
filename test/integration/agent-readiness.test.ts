// The readiness tab's five controls, derived from real rows: each flips from unmet to met when
// the thing it stands for is recorded, and back when it is not.
import { beforeAll, describe, expect, it } from "vitest";
import { getAgentHistory } from "@/lib/agents/get-agent-history";
import { getAgentReadiness, type ControlKey } from "@/lib/agents/get-agent-readiness";
import { db } from "@/lib/db/client";

let personId: string;
const actions: Record<string, string> = {};
const DAY = 86_400_000;

beforeAll(async () => {
  personId = (await db().person.create({ data: { email: "ready@readiness.test", name: "Ready" } })).id;
  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  for (const [key, category] of [["crm.contact.read", "read"], ["crm.note.create", "write"], ["crm.email.send", "external_communication"]] as const) {
    actions[key] = (await db().action.create({ data: { key, name: key, systemId: system.id, category, risk: "low" } })).id;
  }
});

async function newAgent(slug: string) {
  return (await db().agent.create({ data: { slug, name: slug, purpose: "Readiness subject.", deployedById: personId } })).id;
}

async function state(agentId: string): Promise<Record<ControlKey, boolean>> {
  const controls = await getAgentReadiness(agentId);
  return Object.fromEntries(controls.map((control) => [control.key, control.met])) as Record<ControlKey, boolean>;
}

const line = (agentId: string, action: string, effect: "allow" | "require_approval" | "deny") =>
  db().permission.create({ data: { agentId, actionId: actions[action]!, effect, justification: "test" } });

describe("getAgentReadiness", () => {
  it("starts with only the audit trail met (no decisions yet) and a next step for every other control", async () => {
    const agentId = await newAgent("bare");
    const controls = await getAgentReadiness(agentId);
    expect(controls.map((control) => [control.key, control.met])).toEqual([
      ["identity", false],
      ["boundaries", false],
      ["checkpoints", false],
      ["audit", true],
      ["kill_switch", false],
    ]);
    expect(controls.filter((control) => !control.met).every((control) => control.nextStep?.text)).toBe(true);
  });

  it("follows keys, lines, checkpoints, reasoning and drills as they are recorded", async () => {
    const agentId = await newAgent("growing");

    // Identity: a live key counts; revoked or expired ones do not.
    await db().credential.create({ data: { agentId, prefix: "p-revoked", secretHash: "0".repeat(64), label: "old", revokedAt: new Date() } });
    await db().credential.create({ data: { agentId, prefix: "p-expired", secretHash: "0".repeat(64), label: "old", expiresAt: new Date(Date.now() - 1000) } });
    expect((await state(agentId)).identity).toBe(false);
    await db().credential.create({ data: { agentId, prefix: "p-live", secretHash: "0".repeat(64), label: "live" } });
    expect((await state(agentId)).identity).toBe(true);

    // Only reads: boundaries met, and nothing needs a checkpoint.
    await line(agentId, "crm.contact.read", "allow");
    expect(await state(agentId)).toMatchObject({ boundaries: true, checkpoints: true });
    // An allowed write without approval or a policy: the checkpoint control is unmet.
    await line(agentId, "crm.note.create", "allow");
    expect((await state(agentId)).checkpoints).toBe(false);
    // A global policy covering its category meets it; a disabled one would not.
    await db().globalPolicy.create({ data: { name: "Writes off", category: "write", enabled: false } });
    expect((await state(agentId)).checkpoints).toBe(false);
    await db().globalPolicy.create({ data: { name: "Writes need approval", category: "write" } });
    expect((await state(agentId)).checkpoints).toBe(true);
    // An uncovered external e-mail, but a line needing approval exists: met.
    await line(agentId, "crm.email.send", "require_approval");
    expect((await state(agentId)).checkpoints).toBe(true);

    // Audit trail: a decision without an instruction breaks it.
    await db().decision.create({ data: { agentId, action: "crm.contact.read", instruction: "Look up the sender", effect: "allow", reason: "on_list" } });
    expect((await state(agentId)).audit).toBe(true);
    await db().decision.create({ data: { agentId, action: "crm.contact.read", instruction: "", effect: "allow", reason: "on_list" } });
    expect((await state(agentId)).audit).toBe(false);

    // Kill switch: a passed drill within 90 days; older or failed ones do not count.
    await db().killDrill.create({ data: { agentId, startedById: personId, status: "passed", startedAt: new Date(Date.now() - 100 * DAY) } });
    await db().killDrill.create({ data: { agentId, startedById: personId, status: "failed", startedAt: new Date(Date.now() - DAY) } });
    expect((await state(agentId)).kill_switch).toBe(false);
    await db().killDrill.create({ data: { agentId, startedById: personId, status: "passed", latencyMs: 120, startedAt: new Date(Date.now() - 10 * DAY) } });
    expect((await state(agentId)).kill_switch).toBe(true);
  });
});

describe("getAgentHistory", () => {
  it("lists the agent's own state changes and fleet-wide ones, newest first, and its drills", async () => {
    const agentId = await newAgent("history");
    const other = await newAgent("history-other");
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await db().stateChange.create({ data: { kind: "activate", scope: "agent", agentId, fromStatus: "draft", toStatus: "active", reason: "Go.", actorPersonId: personId, createdAt: at(30) } });
    await db().stateChange.create({ data: { kind: "stop_all", scope: "global", mode: "forced", reason: "Incident.", createdAt: at(20) } });
    await db().stateChange.create({ data: { kind: "suspend", scope: "agent", agentId: other, fromStatus: "active", toStatus: "suspended", reason: "Not this one.", createdAt: at(10) } });
    await db().killDrill.create({ data: { agentId, startedById: personId, status: "passed", latencyMs: 80 } });
    await db().killDrill.create({ data: { agentId: other, startedById: personId, status: "failed" } });

    const { changes, drills } = await getAgentHistory(agentId);
    expect(changes.map((change) => change.kind)).toEqual(["stop_all", "activate"]);
    expect(changes[1]?.actor?.name).toBe("Ready");
    expect(drills.map((drill) => [drill.status, drill.latencyMs])).toEqual([["passed", 80]]);
  });
});
