// How the verifier plans reading a range's events: runs of nearby ids as key-range scans, the
// scattered rest (late events sealed out of order, tampered ids) one by one.
import { describe, expect, it } from "vitest";
import { planLookups } from "@/lib/audit/read-seal-range";

const range = (first: number, count: number, step = 1) => Array.from({ length: count }, (_, index) => String(first + index * step));

describe("planLookups", () => {
  it("reads consecutive ids, in any order, as one run", () => {
    expect(planLookups([...range(1001, 500)].reverse())).toEqual({ runs: [[1001, 1500]], scattered: [] });
  });

  it("keeps ids with small gaps (unsealed or later-sealed events between) in one run", () => {
    expect(planLookups(range(10, 100, 200))).toEqual({ runs: [[10, 19810]], scattered: [] });
  });

  it("splits at a wide gap, and reads an event sealed late, far from its neighbours, by id", () => {
    const ids = [...range(5000, 40), "17", ...range(90_000, 40)];
    expect(planLookups(ids)).toEqual({ runs: [[5000, 5039], [90_000, 90_039]], scattered: ["17"] });
  });

  it("reads short runs id by id", () => {
    expect(planLookups(range(1, 5)).runs).toEqual([]);
    expect(planLookups(range(1, 5)).scattered).toEqual(range(1, 5));
  });

  it("looks up ids beyond 2^53 exactly, as text", () => {
    expect(planLookups([...range(1, 40), "9223372036854775807"])).toEqual({ runs: [[1, 40]], scattered: ["9223372036854775807"] });
  });

  it("plans nothing for no ids", () => {
    expect(planLookups([])).toEqual({ runs: [], scattered: [] });
  });
});
