// The fatigue rule as a pure function: what counts as fast, where a run ends, when it is flagged.
import { describe, expect, it } from "vitest";
import { fastRun, isFast, type RecentVote } from "@/lib/approvals/fast-approvals";

const T = Date.parse("2026-11-28T10:00:00Z");
/** A vote at `at` seconds after T, opened `look` seconds before it. */
const vote = (at: number, look: number, verdict: "approve" | "deny" = "approve"): RecentVote => ({
  at: new Date(T + at * 1000),
  verdict,
  openedAt: new Date(T + (at - look) * 1000),
});
/** Newest first, as the database returns them. */
const newestFirst = (votes: RecentVote[]) => [...votes].sort((a, b) => b.at.getTime() - a.at.getTime());

describe("isFast", () => {
  it.each([
    [vote(10, 2.999), true],
    [vote(10, 3), false],
    [vote(10, 0), true],
    [vote(10, 1, "deny"), false],
    [{ at: new Date(T), verdict: "approve" as const, openedAt: null }, true],
  ])("%o → %s", (input, expected) => {
    expect(isFast(input)).toBe(expected);
  });
});

describe("fastRun", () => {
  it("flags ten fast approvals within a minute", () => {
    const run = fastRun(newestFirst(Array.from({ length: 10 }, (_, i) => vote(i * 6, 1))));
    expect(run).toEqual({ length: 10, startedAt: new Date(T), inWindow: 10, flagged: true });
  });

  it("does not flag nine, or ten spread over more than a minute", () => {
    expect(fastRun(newestFirst(Array.from({ length: 9 }, (_, i) => vote(i, 1)))).flagged).toBe(false);
    const spread = fastRun(newestFirst(Array.from({ length: 10 }, (_, i) => vote(i * 7, 1))));
    expect(spread).toMatchObject({ length: 10, flagged: false });
    expect(spread.inWindow).toBe(9);
  });

  it("ends the run at a deny, a slow approval or a pause over a minute", () => {
    const fast = (from: number) => Array.from({ length: 6 }, (_, i) => vote(from + i, 1));
    expect(fastRun(newestFirst([...fast(0), vote(10, 1, "deny"), ...fast(20)]))).toMatchObject({ length: 6, flagged: false });
    expect(fastRun(newestFirst([...fast(0), vote(10, 9), ...fast(20)]))).toMatchObject({ length: 6, startedAt: new Date(T + 20_000) });
    expect(fastRun(newestFirst([...fast(0), ...fast(100)]))).toMatchObject({ length: 6, startedAt: new Date(T + 100_000) });
  });

  it("has no run when the newest vote is not a fast approval", () => {
    expect(fastRun(newestFirst([...Array.from({ length: 12 }, (_, i) => vote(i, 1)), vote(20, 5)]))).toEqual({ length: 0, startedAt: null, inWindow: 0, flagged: false });
    expect(fastRun([])).toMatchObject({ length: 0, flagged: false });
  });
});
