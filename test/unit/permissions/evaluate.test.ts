// The decision engine, step by step (DESIGN.md §5 steps 2 and 4–7) and where the steps conflict.
// Delegation (step 3) has its own file.
import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/permissions/evaluate";
import { REASONS } from "@/lib/permissions/reasons";
import type { Decision } from "@/lib/permissions/types";
import { BOT_ID, line, policy, scenario, type Scenario } from "./scenario";

const OFFICE_HOURS = { days: ["mon", "tue", "wed", "thu", "fri"] as const, from: "08:00", to: "18:00", tz: "UTC" };
const refundLine = (partial: Parameters<typeof line>[0] = {}) =>
  line({ id: "refund", conditions: { params: { amount: { min: 0.01, max: 500 }, currency: { oneOf: ["USD", "EUR"] } } }, ...partial });
const externalPolicy = policy({ id: "P-ext", name: "External communication needs approval", category: "external_communication" });
const financePolicy = policy({ id: "P-fin", name: "Financial above 1,000", category: "financial", threshold: { param: "amount", above: 1000 }, requiredApprovals: 2, expirySeconds: 3600 });

type Case = [name: string, given: Scenario, expected: Partial<Decision>];

function table(cases: Case[]) {
  it.each(cases)("%s", (_name, given, expected) => {
    const decision = evaluate(scenario(given));
    expect(decision).toMatchObject(expected);
    expect(decision.explanation).toMatch(/^(Allowed|Denied|Needs (approval|\d+ approvals)): .+\.$/);
  });
}

describe("step 2: kill state comes first", () => {
  table([
    ["stop-all denies even a principal with an allow line", { fleetStopped: true }, { effect: "deny", reason: "fleet_stopped", ruleKind: "kill" }],
    ["a draft agent is denied", { status: "draft" }, { effect: "deny", reason: "agent_draft", ruleKind: "kill" }],
    ["a suspended agent is denied", { status: "suspended" }, { effect: "deny", reason: "agent_suspended" }],
    ["a killed agent is denied", { status: "killed" }, { effect: "deny", reason: "agent_killed" }],
    ["a retired agent is denied", { status: "retired" }, { effect: "deny", reason: "agent_retired" }],
    ["a capability killed by action key for this agent", { kills: [{ id: "K1", agentId: BOT_ID, capability: "crm.contact.update" }] }, { effect: "deny", reason: "capability_killed", ruleId: "K1", ruleKind: "kill" }],
    ["a capability killed by category for every agent", { kills: [{ id: "K2", agentId: null, capability: "write" }] }, { effect: "deny", reason: "capability_killed", ruleId: "K2" }],
    ["a kill for another agent does not reach this one", { kills: [{ id: "K3", agentId: "someone-else", capability: "write" }] }, { effect: "allow" }],
    ["a kill of another category does not reach this action", { kills: [{ id: "K4", agentId: null, capability: "financial" }] }, { effect: "allow" }],
    ["stop-all beats an unknown action", { fleetStopped: true, action: "nope.nothing" }, { reason: "fleet_stopped" }],
    ["a killed agent asking for an unknown action hears it is killed", { status: "killed", action: "nope.nothing" }, { reason: "agent_killed" }],
    ["an action missing from the catalog is denied", { action: "nope.nothing" }, { effect: "deny", reason: "unknown_action" }],
    ["a capability kill beats an approval line", { lines: [line({ effect: "require_approval" })], kills: [{ id: "K5", agentId: null, capability: "crm.contact.update" }] }, { effect: "deny", reason: "capability_killed" }],
    ["a capability kill beats a global policy", { action: "email.send", policies: [externalPolicy], kills: [{ id: "K6", agentId: BOT_ID, capability: "external_communication" }] }, { effect: "deny", reason: "capability_killed", requiredApprovals: 0 }],
  ]);
});

describe("step 4: the written list", () => {
  table([
    ["no line for the action is scope creep", { lines: [] }, { effect: "deny", reason: "not_on_list", scopeCreep: true, ruleKind: "permission" }],
    ["an allow line allows", { lines: [line({ id: "A" })] }, { effect: "allow", reason: "allowed_by_list", ruleId: "A", ruleKind: "permission", permissionId: "A", scopeCreep: false, requiredApprovals: 0 }],
    ["a deny line says never", { lines: [line({ id: "N", effect: "deny" })] }, { effect: "deny", reason: "never", ruleId: "N", scopeCreep: false }],
    ["a deny line wins over an earlier allow line", { lines: [line({ position: 0 }), line({ id: "N2", effect: "deny", position: 5 })] }, { effect: "deny", reason: "never", ruleId: "N2" }],
    ["a deny line denies even when its conditions do not hold", { resource: "b/1", lines: [line({ id: "N3", effect: "deny", conditions: { resource: "a/*" } }), line()] }, { reason: "never", ruleId: "N3" }],
    ["a line whose stored conditions do not parse fails closed", { lines: [line({ id: "M", malformed: true }), line()] }, { effect: "deny", reason: "malformed_rule", ruleId: "M" }],
    ["a require_approval line asks for one approval", { lines: [line({ id: "R", effect: "require_approval" })] }, { effect: "require_approval", reason: "requires_approval", ruleId: "R", requiredApprovals: 1, expirySeconds: 900 }],
    [
      "the first line by position whose conditions hold decides (allow)",
      { resource: "a/1", lines: [line({ id: "R2", effect: "require_approval", position: 2, conditions: { resource: "**" } }), line({ id: "A2", position: 1, conditions: { resource: "a/*" } })] },
      { effect: "allow", ruleId: "A2" },
    ],
    [
      "the first line by position whose conditions hold decides (approval)",
      { resource: "b/1", lines: [line({ id: "R3", effect: "require_approval", position: 2, conditions: { resource: "**" } }), line({ id: "A3", position: 1, conditions: { resource: "a/*" } })] },
      { effect: "require_approval", ruleId: "R3" },
    ],
    ["position, not the order given, sets precedence", { lines: [line({ id: "late", position: 9 }), line({ id: "early", position: 0, effect: "require_approval" })] }, { effect: "require_approval", ruleId: "early" }],
    ["no line holds and the line denies on failure", { resource: "b/1", lines: [line({ id: "C1", conditions: { resource: "a/*" } })] }, { effect: "deny", reason: "condition_failed", ruleId: "C1" }],
    [
      "no line holds and every line asks a person on failure",
      { resource: "b/1", lines: [line({ id: "C2", position: 1, conditions: { resource: "a/*" }, onConditionFail: "require_approval" }), line({ id: "C3", position: 2, conditions: { resource: "c/*" }, onConditionFail: "require_approval" })] },
      { effect: "require_approval", reason: "condition_failed", ruleId: "C2", permissionId: "C2", requiredApprovals: 1 },
    ],
    [
      "no line holds and one of them denies on failure: the strictest wins",
      { resource: "b/1", lines: [line({ id: "C4", position: 1, conditions: { resource: "a/*" }, onConditionFail: "require_approval" }), line({ id: "C5", position: 2, conditions: { resource: "c/*" } })] },
      { effect: "deny", reason: "condition_failed", ruleId: "C5" },
    ],
    ["an onConditionFail of allow in the database still denies", { resource: "b/1", lines: [line({ conditions: { resource: "a/*" }, onConditionFail: "allow" })] }, { effect: "deny", reason: "condition_failed" }],
    ["a resource pattern with no resource given fails", { lines: [line({ conditions: { resource: "tickets/*" } })] }, { effect: "deny", reason: "condition_failed" }],
    ["a resource climbing out of its folder fails under **", { resource: "tickets/../admin/keys", lines: [line({ conditions: { resource: "tickets/**" } })] }, { effect: "deny", reason: "condition_failed" }],
    ["a resource inside the pattern holds", { resource: "tickets/42", lines: [line({ conditions: { resource: "tickets/*" } })] }, { effect: "allow" }],
    ["a resource one level too deep fails a single *", { resource: "tickets/42/notes", lines: [line({ conditions: { resource: "tickets/*" } })] }, { effect: "deny", reason: "condition_failed" }],
  ]);
});

describe("step 4: parameter limits and windows through the engine", () => {
  const refund = (params: Record<string, unknown>, partial: Parameters<typeof line>[0] = {}): Scenario => ({ action: "payments.refund.issue", params, lines: [refundLine(partial)] });
  table([
    ["a refund at the maximum holds", refund({ amount: 500, currency: "USD" }), { effect: "allow", ruleId: "refund" }],
    ["a refund a cent above the maximum fails", refund({ amount: 500.01, currency: "USD" }), { effect: "deny", reason: "condition_failed" }],
    ["an amount sent as a string fails", refund({ amount: "50", currency: "USD" }), { effect: "deny", reason: "condition_failed" }],
    ["a missing amount fails", refund({ currency: "USD" }), { effect: "deny", reason: "condition_failed" }],
    ["a currency in the wrong case fails", refund({ amount: 10, currency: "usd" }), { effect: "deny", reason: "condition_failed" }],
    ["a failed limit on an ask-a-person line needs approval", refund({ amount: 700, currency: "USD" }, { onConditionFail: "require_approval" }), { effect: "require_approval", reason: "condition_failed", ruleId: "refund" }],
    ["e-mail to an allowed subdomain holds", { action: "email.send", params: { to: "ann@mail.example.com" }, lines: [line({ conditions: { params: { to: { domains: ["example.com"] } } } })] }, { effect: "allow" }],
    ["e-mail to a look-alike domain fails", { action: "email.send", params: { to: "ann@evil-example.com" }, lines: [line({ conditions: { params: { to: { domains: ["example.com"] } } } })] }, { effect: "deny", reason: "condition_failed" }],
    ["inside office hours holds", { lines: [line({ conditions: { window: { ...OFFICE_HOURS, days: [...OFFICE_HOURS.days] } } })] }, { effect: "allow" }],
    ["outside office hours fails", { now: new Date("2026-11-25T19:00:00Z"), lines: [line({ conditions: { window: { ...OFFICE_HOURS, days: [...OFFICE_HOURS.days] } } })] }, { effect: "deny", reason: "condition_failed" }],
    ["on a Saturday fails", { now: new Date("2026-11-28T10:00:00Z"), lines: [line({ conditions: { window: { ...OFFICE_HOURS, days: [...OFFICE_HOURS.days] } } })] }, { effect: "deny", reason: "condition_failed" }],
  ]);

  it("names the failing condition in the explanation", () => {
    const decision = evaluate(scenario(refund({ amount: 700, currency: "USD" })));
    expect(decision.explanation).toContain("amount 700 is above the maximum 500");
  });
});

describe("step 5: rate limits", () => {
  const limited = (partial: Scenario): Scenario => ({ lines: [line({ id: "RL", rateLimitPerMinute: 30, rateLimitPerHour: 100 })], ...partial });
  table([
    ["the 31st call in a minute with a limit of 30 is refused", limited({ usage: { RL: { lastMinute: 30, lastHour: 30 } } }), { effect: "deny", reason: "rate_limited", ruleId: "RL" }],
    ["the 30th call in a minute is allowed", limited({ usage: { RL: { lastMinute: 29, lastHour: 29 } } }), { effect: "allow", ruleId: "RL" }],
    ["the hourly limit counts on its own", limited({ usage: { RL: { lastMinute: 0, lastHour: 100 } } }), { effect: "deny", reason: "rate_limited" }],
    ["another line's use does not count", limited({ usage: { other: { lastMinute: 500, lastHour: 500 } } }), { effect: "allow" }],
    ["a rate limit beats a junior's approval", limited({ maturity: "junior", usage: { RL: { lastMinute: 30, lastHour: 30 } } }), { effect: "deny", reason: "rate_limited" }],
    ["a rate limit comes before the intern cap (step 5 before 6)", limited({ maturity: "intern", usage: { RL: { lastMinute: 30, lastHour: 30 } } }), { reason: "rate_limited" }],
    ["a used-up rate limit beats a global policy", limited({ action: "email.send", policies: [externalPolicy], usage: { RL: { lastMinute: 30, lastHour: 30 } } }), { effect: "deny", reason: "rate_limited" }],
  ]);
});

describe("step 6: maturity", () => {
  table([
    ["an intern may read", { maturity: "intern", action: "crm.contact.read" }, { effect: "allow", notifyOwners: false }],
    ["an intern with an allow line may not write", { maturity: "intern" }, { effect: "deny", reason: "maturity_cap", ruleKind: "maturity" }],
    ["an intern with an approval line may not write either", { maturity: "intern", lines: [line({ effect: "require_approval" })] }, { effect: "deny", reason: "maturity_cap" }],
    ["an intern may not send e-mail", { maturity: "intern", action: "email.send" }, { effect: "deny", reason: "maturity_cap" }],
    ["an intern's never line still reads as never", { maturity: "intern", lines: [line({ effect: "deny" })] }, { reason: "never" }],
    ["an intern asking off its list is scope creep, not a cap", { maturity: "intern", lines: [] }, { reason: "not_on_list", scopeCreep: true }],
    ["a junior may read", { maturity: "junior", action: "crm.contact.read" }, { effect: "allow" }],
    ["a junior needs approval to write", { maturity: "junior" }, { effect: "require_approval", reason: "maturity_approval", ruleKind: "maturity", requiredApprovals: 1 }],
    ["a junior needs approval for admin actions", { maturity: "junior", action: "github.repo.admin" }, { effect: "require_approval", reason: "maturity_approval" }],
    ["a senior writes and its owners are notified", { maturity: "senior" }, { effect: "allow", notifyOwners: true }],
    ["a senior reading notifies nobody", { maturity: "senior", action: "crm.contact.read" }, { effect: "allow", notifyOwners: false }],
    ["a principal writes within its list", { maturity: "principal" }, { effect: "allow", notifyOwners: false }],
    ["a principal is still bound by its list", { maturity: "principal", lines: [] }, { reason: "not_on_list" }],
  ]);
});

describe("step 7: global checkpoint policies", () => {
  const send = (partial: Scenario = {}): Scenario => ({ action: "email.send", ...partial });
  const refund = (amount: unknown, partial: Scenario = {}): Scenario => ({ action: "payments.refund.issue", params: { amount, currency: "USD" }, policies: [financePolicy], ...partial });
  table([
    ["a category policy raises allow to approval", send({ policies: [externalPolicy] }), { effect: "require_approval", reason: "policy_checkpoint", ruleId: "P-ext", ruleKind: "policy", policyId: "P-ext", requiredApprovals: 1, expirySeconds: 900 }],
    ["an action policy raises allow to approval", { policies: [policy({ id: "P-act", actionKey: "crm.contact.update" })] }, { effect: "require_approval", ruleId: "P-act" }],
    ["a disabled policy does nothing", send({ policies: [{ ...externalPolicy, enabled: false }] }), { effect: "allow" }],
    ["a policy for another category does nothing", { policies: [externalPolicy] }, { effect: "allow" }],
    ["a policy naming a category and an action needs both", { policies: [policy({ id: "P-both", category: "write", actionKey: "crm.record.delete" })] }, { effect: "allow" }],
    ["a policy naming neither covers everything", { policies: [policy({ id: "P-all" })] }, { effect: "require_approval", ruleId: "P-all" }],
    ["an amount at the threshold stays under it", refund(1000), { effect: "allow" }],
    ["an amount above the threshold needs two approvers", refund(1000.5, { lines: [line()] }), { effect: "require_approval", requiredApprovals: 2, expirySeconds: 3600, ruleId: "P-fin" }],
    ["a missing threshold parameter cannot dodge the policy", { action: "payments.refund.issue", params: {}, policies: [financePolicy] }, { effect: "require_approval", requiredApprovals: 2 }],
    ["a numeric string cannot dodge the policy", refund("5000"), { effect: "require_approval", requiredApprovals: 2 }],
    ["a stored threshold that does not parse applies", { action: "payments.refund.issue", params: { amount: 1 }, policies: [{ ...financePolicy, threshold: "malformed" }] }, { effect: "require_approval" }],
    ["a policy never lowers a never line", send({ lines: [line({ effect: "deny" })], policies: [externalPolicy] }), { effect: "deny", reason: "never", requiredApprovals: 0 }],
    ["a policy never lowers a failed condition", send({ params: { to: "x@evil.com" }, lines: [line({ conditions: { params: { to: { domains: ["example.com"] } } } })], policies: [externalPolicy] }), { effect: "deny", reason: "condition_failed" }],
    ["a policy never lowers an intern cap", send({ maturity: "intern", policies: [externalPolicy] }), { effect: "deny", reason: "maturity_cap" }],
    ["junior plus a policy needing two: two approvals, the policy decides", refund(5000, { maturity: "junior" }), { effect: "require_approval", reason: "policy_checkpoint", requiredApprovals: 2, ruleId: "P-fin", expirySeconds: 3600 }],
    ["junior plus a policy needing one: the earlier step names itself", send({ maturity: "junior", policies: [{ ...externalPolicy, expirySeconds: 600 }] }), { reason: "maturity_approval", ruleKind: "maturity", requiredApprovals: 1, policyId: "P-ext", expirySeconds: 600 }],
    ["an approval line plus a two-approver policy needs two", refund(2000, { lines: [line({ effect: "require_approval" })] }), { requiredApprovals: 2, reason: "policy_checkpoint" }],
    [
      "several policies: the most approvals and the shortest expiry",
      send({ policies: [policy({ id: "P1", category: "external_communication", requiredApprovals: 1, expirySeconds: 300 }), policy({ id: "P3", actionKey: "email.send", requiredApprovals: 3, expirySeconds: 1200 })] }),
      { requiredApprovals: 3, expirySeconds: 300, ruleId: "P3", policyId: "P3" },
    ],
    ["a policy asking for zero approvals still asks for one", send({ policies: [{ ...externalPolicy, requiredApprovals: 0 }] }), { effect: "require_approval", requiredApprovals: 1 }],
    ["a senior held at a checkpoint still notifies its owners", send({ maturity: "senior", policies: [externalPolicy] }), { effect: "require_approval", notifyOwners: true }],
  ]);
});

describe("explanations and reasons", () => {
  it("names the deciding line, policy or kill", () => {
    expect(evaluate(scenario({ lines: [line({ id: "x", position: 2 })] })).explanation).toBe("Allowed: line 3 of bot's written list allows crm.contact.update.");
    expect(evaluate(scenario({ action: "email.send", policies: [externalPolicy] })).explanation).toContain('"External communication needs approval"');
    expect(evaluate(scenario({ kills: [{ id: "K", agentId: null, capability: "write" }] })).explanation).toBe("Denied: the capability write is switched off for every agent.");
  });

  it("has human text for every reason the engine gives", () => {
    const reasons = new Set(Object.keys(REASONS));
    for (const given of [{}, { lines: [] }, { status: "killed" as const }, { maturity: "intern" as const }]) {
      expect(reasons.has(evaluate(scenario(given)).reason)).toBe(true);
    }
  });

  it("does not read the clock: the same input gives the same answer", () => {
    const input = scenario({ lines: [line({ conditions: { window: { days: ["wed"], from: "09:00", to: "11:00", tz: "UTC" } } })] });
    expect(evaluate(input)).toEqual(evaluate(input));
    expect(evaluate(input).effect).toBe("allow");
  });
});
