// Step 3: an agent acting under a delegation never exceeds any agent up its chain.
import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/permissions/evaluate";
import type { Decision } from "@/lib/permissions/types";
import { BOT_ID, NOW, hop, line, policy, scenario, type AgentSpec, type Scenario } from "./scenario";

const ROOT = { id: "00000000-0000-4000-8000-0000000000aa", slug: "root" };
const MIDDLE = { id: "00000000-0000-4000-8000-0000000000bb", slug: "middle" };

/** root → bot, with the root's own spec changed by `root`. */
function viaRoot(root: AgentSpec = {}, delegation: Parameters<typeof hop>[2] = {}, given: Scenario = {}): Scenario {
  return { hops: [hop({ ...ROOT, ...root }, BOT_ID, delegation)], ...given };
}

/** A chain of `length` delegators ending at bot. */
function chainOf(length: number): Scenario {
  const ids = Array.from({ length }, (_, index) => ({ id: `00000000-0000-4000-8000-00000000c${String(index).padStart(3, "0")}`, slug: `a${index}` }));
  return { hops: ids.map((agent, index) => hop(agent, ids[index + 1]?.id ?? BOT_ID)) };
}

type Case = [name: string, given: Scenario, expected: Partial<Decision>];

describe("step 3: delegation", () => {
  it.each<Case>([
    ["a root that may do it lets its delegate do it", viaRoot(), { effect: "allow", reason: "allowed_by_list" }],
    ["a chain of four is allowed", chainOf(4), { effect: "allow" }],
    ["a chain of five is too deep", chainOf(5), { effect: "deny", reason: "delegation_depth", ruleKind: "delegation" }],
    ["a tighter depth limit applies when given", { ...chainOf(2), maxDelegationDepth: 1 }, { reason: "delegation_depth" }],
    ["an expired delegation", viaRoot({}, { expiresAt: new Date(NOW.getTime() - 1) }), { effect: "deny", reason: "delegation_expired", ruleId: "D-root" }],
    ["a delegation expiring this very instant has expired", viaRoot({}, { expiresAt: NOW }), { reason: "delegation_expired" }],
    ["a revoked delegation", viaRoot({}, { revokedAt: new Date(NOW.getTime() - 60_000) }), { effect: "deny", reason: "delegation_revoked" }],
    ["an action outside the delegation's list", viaRoot({}, { actions: ["crm.contact.read"] }), { effect: "deny", reason: "delegation_scope" }],
    ["a root without the action on its list", viaRoot({ lines: [] }), { effect: "deny", reason: "delegator_denied", ruleId: "D-root" }],
    ["a root whose list says never", viaRoot({ lines: [line({ effect: "deny" })] }), { reason: "delegator_denied" }],
    ["a killed root", viaRoot({ status: "killed" }), { reason: "delegator_denied" }],
    ["a root whose capability is killed", viaRoot({}, {}, { kills: [{ id: "K", agentId: ROOT.id, capability: "write" }] }), { reason: "delegator_denied" }],
    ["an intern root cannot hand on a write", viaRoot({ maturity: "intern" }), { reason: "delegator_denied" }],
    ["an intern root can hand on a read", viaRoot({ maturity: "intern" }, {}, { action: "crm.contact.read" }), { effect: "allow" }],
    ["a root at its rate limit", viaRoot({ lines: [line({ id: "RR", rateLimitPerHour: 5 })], usage: { RR: { lastMinute: 0, lastHour: 5 } } }), { reason: "delegator_denied" }],
    ["a junior root makes its delegate ask", viaRoot({ maturity: "junior" }), { effect: "require_approval", reason: "delegator_approval", ruleKind: "delegation", requiredApprovals: 1 }],
    ["a root needing approval by its list makes its delegate ask", viaRoot({ lines: [line({ effect: "require_approval" })] }), { effect: "require_approval", reason: "delegator_approval" }],
    [
      "a child never exceeds its parent's conditions",
      viaRoot({ lines: [line({ conditions: { resource: "contacts/eu/*" } })] }, {}, { resource: "contacts/us/7", lines: [line({ conditions: { resource: "contacts/**" } })] }),
      { effect: "deny", reason: "delegator_denied" },
    ],
    ["inside the parent's conditions the child may act", viaRoot({ lines: [line({ conditions: { resource: "contacts/eu/*" } })] }, {}, { resource: "contacts/eu/7" }), { effect: "allow" }],
    ["the child's own list still applies", viaRoot({}, {}, { lines: [line({ id: "own-never", effect: "deny" })] }), { reason: "never", ruleId: "own-never" }],
    ["the child's own maturity still applies", viaRoot({}, {}, { maturity: "intern" }), { reason: "maturity_cap" }],
    [
      "a delegation that does not end at the agent asking",
      { hops: [hop(ROOT, MIDDLE.id)] },
      { effect: "deny", reason: "delegation_broken" },
    ],
    [
      "a delegation made by someone else than the hop's agent",
      { hops: [{ ...hop(ROOT, BOT_ID), delegation: { ...hop(ROOT, BOT_ID).delegation, fromAgentId: MIDDLE.id } }] },
      { reason: "delegation_broken" },
    ],
    ["a chain that loops back to the agent asking", { hops: [hop({ id: BOT_ID, slug: "bot" }, BOT_ID)] }, { reason: "delegation_broken" }],
    ["stop-all beats any delegation", viaRoot({}, {}, { fleetStopped: true }), { reason: "fleet_stopped" }],
    ["a killed delegate is denied before its chain is read", viaRoot({ lines: [] }, {}, { status: "suspended" }), { reason: "agent_suspended" }],
    [
      "a parent's approval and a two-approver policy need two",
      viaRoot({ maturity: "junior" }, { actions: ["payments.refund.issue"] }, {
        action: "payments.refund.issue",
        params: { amount: 5000 },
        policies: [policy({ id: "P2", category: "financial", threshold: { param: "amount", above: 1000 }, requiredApprovals: 2 })],
      }),
      { effect: "require_approval", requiredApprovals: 2, reason: "policy_checkpoint" },
    ],
  ])("%s", (_name, given, expected) => {
    expect(evaluate(scenario(given))).toMatchObject(expected);
  });

  it("checks every agent of a longer chain, not just the root", () => {
    const given: Scenario = { hops: [hop(ROOT, MIDDLE.id), hop({ ...MIDDLE, lines: [] }, BOT_ID)] };
    const decision = evaluate(scenario(given));
    expect(decision).toMatchObject({ effect: "deny", reason: "delegator_denied", ruleId: "D-middle" });
    expect(decision.explanation).toContain("middle delegated this but may not do it itself");
  });
});
