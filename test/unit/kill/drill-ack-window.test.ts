import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/env";
import { DEFAULT_DRILL_ACK_WINDOW_SECONDS, drillAckWindowMs } from "@/lib/kill/fail-unacknowledged-drills";

describe("MANDATE_DRILL_ACK_WINDOW_SECONDS", () => {
  it("defaults to five minutes, unset or empty", () => {
    expect(DEFAULT_DRILL_ACK_WINDOW_SECONDS).toBe(300);
    expect(drillAckWindowMs({})).toBe(300_000);
    expect(drillAckWindowMs({ MANDATE_DRILL_ACK_WINDOW_SECONDS: " " })).toBe(300_000);
  });

  it("takes whole seconds from 60 to 86400", () => {
    expect(drillAckWindowMs({ MANDATE_DRILL_ACK_WINDOW_SECONDS: "60" })).toBe(60_000);
    expect(drillAckWindowMs({ MANDATE_DRILL_ACK_WINDOW_SECONDS: " 900 " })).toBe(900_000);
    expect(drillAckWindowMs({ MANDATE_DRILL_ACK_WINDOW_SECONDS: "86400" })).toBe(86_400_000);
  });

  it.each(["59", "86401", "1.5", "ten", "-300", "0x100"])("refuses %j with one clear line", (raw) => {
    expect(() => drillAckWindowMs({ MANDATE_DRILL_ACK_WINDOW_SECONDS: raw })).toThrow(ConfigError);
    expect(() => drillAckWindowMs({ MANDATE_DRILL_ACK_WINDOW_SECONDS: raw })).toThrow(/from 60 to 86400/);
  });
});
