import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { agentsToLock, applyKillGuard, type LockedState } from "@/lib/decisions/apply-kill-guard";
import { DecisionWriteError, type DecisionEntry } from "@/lib/decisions/decision-entry";
import { agentLockKey, lockAndReadSql } from "@/lib/decisions/lock-decision-state";
import { prepareEntry } from "@/lib/decisions/prepare-entry";

const AGENT = randomUUID();
const DELEGATOR = randomUUID();

function entry(effect: "allow" | "deny" | "pending", overrides: Partial<DecisionEntry["snapshot"]> = {}): DecisionEntry {
  return {
    decision: {
      id: randomUUID(),
      agentId: AGENT,
      action: "invoice.pay",
      instruction: "pay the invoice",
      effect,
      reason: effect === "deny" ? "not_on_list" : "allowed_by_list",
      ruleId: effect === "deny" ? null : "line-1",
      latencyMicros: 10,
      createdAt: new Date(),
    },
    audit: {},
    snapshot: { agentStateVersion: 3, fleetVersion: 7, ...overrides },
  };
}

function state(agent: { status: string; stateVersion: number } | null, fleet = { stopped: false, version: 7 }, extra: Array<[string, { status: string; stateVersion: number }]> = []): LockedState {
  return { fleet, agents: new Map([...(agent ? [[AGENT, agent] as [string, typeof agent]] : []), ...extra]) };
}

const active = { status: "active", stateVersion: 3 };

describe("applyKillGuard", () => {
  const cases: Array<{ name: string; entry: DecisionEntry; state: LockedState; effect: string; reason: string }> = [
    { name: "allow on current state stays allow", entry: entry("allow"), state: state(active), effect: "allow", reason: "allowed_by_list" },
    { name: "pending on current state stays pending", entry: entry("pending"), state: state(active), effect: "pending", reason: "allowed_by_list" },
    { name: "allow after the agent was killed", entry: entry("allow"), state: state({ status: "killed", stateVersion: 4 }), effect: "deny", reason: "state_changed" },
    { name: "allow on an older agent version", entry: entry("allow"), state: state({ status: "active", stateVersion: 5 }), effect: "deny", reason: "state_changed" },
    { name: "allow for an agent that is not active", entry: entry("allow"), state: state({ status: "suspended", stateVersion: 3 }), effect: "deny", reason: "state_changed" },
    { name: "allow for an agent that is gone", entry: entry("allow"), state: state(null), effect: "deny", reason: "state_changed" },
    { name: "allow while the fleet is stopped", entry: entry("allow"), state: state(active, { stopped: true, version: 7 }), effect: "deny", reason: "state_changed" },
    { name: "allow on an older fleet version", entry: entry("allow"), state: state(active, { stopped: false, version: 8 }), effect: "deny", reason: "state_changed" },
    { name: "allow with no fleet row (fail closed)", entry: entry("allow"), state: { fleet: null, agents: new Map([[AGENT, active]]) }, effect: "deny", reason: "state_changed" },
    { name: "pending after a kill", entry: entry("pending"), state: state({ status: "killed", stateVersion: 4 }), effect: "deny", reason: "state_changed" },
    { name: "deny keeps its own reason, whatever the state", entry: entry("deny"), state: state({ status: "killed", stateVersion: 9 }), effect: "deny", reason: "not_on_list" },
    {
      name: "allow whose delegator was killed",
      entry: entry("allow", { delegators: [{ agentId: DELEGATOR, stateVersion: 2 }] }),
      state: state(active, undefined, [[DELEGATOR, { status: "killed", stateVersion: 3 }]]),
      effect: "deny",
      reason: "state_changed",
    },
    {
      name: "allow whose delegators are unchanged",
      entry: entry("allow", { delegators: [{ agentId: DELEGATOR, stateVersion: 2 }] }),
      state: state(active, undefined, [[DELEGATOR, { status: "active", stateVersion: 2 }]]),
      effect: "allow",
      reason: "allowed_by_list",
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = applyKillGuard(testCase.entry, testCase.state);
      expect({ effect: result.effect, reason: result.reason }).toEqual({ effect: testCase.effect, reason: testCase.reason });
      expect(result.rewritten).toBe(testCase.entry.decision.effect !== "deny" && testCase.effect === "deny");
      expect(result.keepCheckpoint).toBe(testCase.effect === "pending");
      if (result.rewritten) expect(result.ruleId).toBeNull();
    });
  }

  it("locks only the agents whose allows depend on them, sorted", () => {
    const other = "00000000-0000-4000-8000-000000000000";
    const denied = { ...entry("deny"), decision: { ...entry("deny").decision, agentId: randomUUID() } };
    const ids = agentsToLock([entry("allow", { delegators: [{ agentId: other, stateVersion: 1 }] }), entry("pending"), denied]);
    expect(ids).toEqual([other, AGENT].sort());
  });
});

describe("the lock statement", () => {
  it("takes the fleet lock, then agent locks, before reading", () => {
    const sql = lockAndReadSql([AGENT]);
    const order = ["BEGIN", "pg_advisory_xact_lock_shared", String(agentLockKey(AGENT)), "FROM fleet_state", "FROM agent"].map((part) => sql.indexOf(part));
    expect(order.every((position, index) => position >= 0 && (index === 0 || position > order[index - 1]!))).toBe(true);
  });

  it("refuses anything but UUIDs in the spliced ids", () => {
    expect(() => lockAndReadSql(["x') or true --"])).toThrow();
  });

  it("gives the same key whatever the letter case", () => {
    expect(agentLockKey(AGENT.toUpperCase())).toBe(agentLockKey(AGENT));
    expect(Number.isInteger(agentLockKey(AGENT)) && Math.abs(agentLockKey(AGENT)) < 2 ** 31).toBe(true);
  });
});

describe("prepareEntry", () => {
  const rejects = (mutate: (value: DecisionEntry) => void) => {
    const value = entry("allow");
    mutate(value);
    expect(() => prepareEntry(value)).toThrow(DecisionWriteError);
  };

  it("refuses what PostgreSQL would refuse, before it can fail a batch", () => {
    rejects((value) => (value.decision.instruction = "nul \u0000 inside"));
    rejects((value) => (value.decision.params = { note: "nul \u0000 inside" }));
    rejects((value) => (value.decision.params = { ["key\u0000"]: 1 }));
    rejects((value) => (value.decision.considered = ["lone \ud800 surrogate"]));
    rejects((value) => (value.decision.params = { big: 10n }));
    rejects((value) => (value.decision.parentDecisionId = "not-a-uuid"));
    rejects((value) => (value.decision.latencyMicros = -1));
    rejects((value) => (value.decision.createdAt = new Date(Number.NaN)));
    rejects((value) => (value.checkpoint = { id: randomUUID(), digest: "d", requiredApprovals: 0, expiresAt: new Date() }));
  });

  it("keeps text that only looks like an escape, and paired surrogates", () => {
    const value = entry("allow");
    value.decision.params = { path: "C:\\u0000\\dir", emoji: "ok 👍" };
    const prepared = prepareEntry(value);
    expect(JSON.parse(prepared.params!)).toEqual(value.decision.params);
  });
});
