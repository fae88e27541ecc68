import { describe, expect, it } from "vitest";
import { AgentStatus, KillMode } from "@/lib/generated/prisma/enums";
import { DRILLABLE, killControlFor, killVerdict, stopVerdict } from "@/lib/kill/kill-rules";

const MODES = [null, ...Object.values(KillMode)] as const;

// Every status × current mode × requested mode, written out: a change to the rule is made twice.
const EXPECTED: Record<string, string> = {
  "active/graceful": "kill",
  "active/forced": "kill",
  "suspended/graceful": "kill",
  "suspended/forced": "kill",
  "killed:graceful/graceful": "unchanged",
  "killed:graceful/forced": "upgrade",
  "killed:forced/graceful": "unchanged",
  "killed:forced/forced": "unchanged",
  "killed:null/graceful": "unchanged",
  "killed:null/forced": "unchanged",
  "draft/graceful": "refused",
  "draft/forced": "refused",
  "retired/graceful": "refused",
  "retired/forced": "refused",
};

describe("killVerdict", () => {
  const cases = Object.values(AgentStatus).flatMap((status) =>
    (status === "killed" ? MODES : [null]).flatMap((mode) =>
      Object.values(KillMode).map((requested) => ({ key: `${status}${status === "killed" ? `:${mode}` : ""}/${requested}`, status, mode, requested })),
    ),
  );

  it("has an expectation for every case", () => {
    expect(cases.map((c) => c.key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)("$key", ({ key, status, mode, requested }) => {
    const verdict = killVerdict({ status, mode }, requested);
    expect(verdict.kind).toBe(EXPECTED[key]);
    if (verdict.kind === "refused") expect(verdict.reason.length).toBeGreaterThan(10);
  });
});

describe("stopVerdict", () => {
  it.each([
    [false, null, "graceful", "kill"],
    [false, null, "forced", "kill"],
    [true, "graceful", "graceful", "unchanged"],
    [true, "graceful", "forced", "upgrade"],
    [true, "forced", "graceful", "unchanged"],
    [true, "forced", "forced", "unchanged"],
  ] as const)("stopped %s (%s), asked %s → %s", (stopped, mode, requested, kind) => {
    expect(stopVerdict({ stopped, mode }, requested).kind).toBe(kind);
  });
});

describe("the console's controls agree with the use cases", () => {
  it.each([
    ["active", null, "kill"],
    ["suspended", null, "kill"],
    ["killed", "graceful", "upgrade"],
    ["killed", "forced", null],
    ["draft", null, null],
    ["retired", null, null],
  ] as const)("%s (%s) offers %s", (status, mode, control) => {
    expect(killControlFor({ status, mode })).toBe(control);
  });

  it("drills drafts (activation needs a passed drill) and live agents, never killed or retired ones", () => {
    expect([...DRILLABLE].sort()).toEqual(["active", "draft", "suspended"]);
  });
});
