import { describe, expect, it } from "vitest";
import { killAgentSchema, killCapabilitySchema, resumeAllSchema, reviveAgentSchema, startDrillSchema, stopAllSchema } from "@/lib/kill/kill-schemas";

const ID = "7b0c2c34-8a52-4c7e-9d6f-1f5b8e2a9c10";

describe("kill inputs", () => {
  it("kills gracefully by default, with no reason needed, and trims one given", () => {
    expect(killAgentSchema.parse({ agentId: ID })).toEqual({ agentId: ID, mode: "graceful" });
    expect(killAgentSchema.parse({ agentId: ID, mode: "forced", reason: "  loop  " })).toEqual({ agentId: ID, mode: "forced", reason: "loop" });
    expect(killAgentSchema.parse({ agentId: ID, reason: "   " }).reason).toBeUndefined();
    expect(stopAllSchema.parse({})).toEqual({ mode: "graceful" });
  });

  it.each([
    [{ agentId: "not-a-uuid" }, "agentId"],
    [{ agentId: ID, mode: "hard" }, "mode"],
    [{ agentId: ID, reason: "x".repeat(1001) }, "reason"],
    [{ agentId: ID, reason: 42 }, "reason"],
  ])("refuses %j at %s", (input, path) => {
    const parsed = killAgentSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join(".")).toBe(path);
  });

  it("needs a reason to revive or resume, and a longer one to keep the maturity", () => {
    expect(reviveAgentSchema.safeParse({ agentId: ID }).success).toBe(false);
    expect(reviveAgentSchema.safeParse({ agentId: ID, reason: " ok " }).success).toBe(false);
    expect(reviveAgentSchema.parse({ agentId: ID, reason: "Fixed." })).toEqual({ agentId: ID, reason: "Fixed." });
    expect(reviveAgentSchema.safeParse({ agentId: ID, reason: "Fixed.", keepMaturity: { reason: "short" } }).error?.issues[0]?.path).toEqual(["keepMaturity", "reason"]);
    expect(reviveAgentSchema.parse({ agentId: ID, reason: "Fixed.", keepMaturity: { reason: "Not its fault: a bad deploy." } }).keepMaturity).toEqual({ reason: "Not its fault: a bad deploy." });
    expect(resumeAllSchema.safeParse({ reason: "" }).success).toBe(false);
  });

  it("names a capability, for one agent or (without one) all", () => {
    expect(killCapabilitySchema.parse({ capability: " financial " })).toEqual({ capability: "financial" });
    expect(killCapabilitySchema.safeParse({ capability: "" }).success).toBe(false);
    expect(killCapabilitySchema.safeParse({ capability: "x".repeat(201) }).success).toBe(false);
    expect(killCapabilitySchema.safeParse({ capability: "read", agentId: "all" }).success).toBe(false);
  });

  it("drills with a 1 s threshold unless told otherwise, within bounds", () => {
    expect(startDrillSchema.parse({ agentId: ID })).toEqual({ agentId: ID, thresholdMs: 1000 });
    for (const thresholdMs of [99, 30_001, 2.5, "500"]) expect(startDrillSchema.safeParse({ agentId: ID, thresholdMs }).success).toBe(false);
  });
});
