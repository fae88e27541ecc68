// The inbox's URL filters and page cursors: what is kept, what is dropped, and round trips.
import { describe, expect, it } from "vitest";
import { encodeCursor, filterParams, historyFiltersSchema, inboxFiltersSchema } from "@/lib/approvals/inbox-filters";
import { DENY_PRESETS, denyNote } from "@/lib/approvals/deny-presets";

const ID = "0193a0b2-7c1d-7e3f-8a4b-5c6d7e8f9a0b";

describe("inboxFiltersSchema", () => {
  it("keeps valid filters and a cursor", () => {
    const at = new Date("2026-11-28T10:00:00.123Z");
    expect(inboxFiltersSchema.parse({ agent: "finance-refunds", system: "payments", risk: "critical", after: encodeCursor(at, ID) })).toEqual({
      agent: "finance-refunds",
      system: "payments",
      risk: "critical",
      after: { at, id: ID },
    });
  });

  it.each([
    [{ agent: "Finance Refunds" }],
    [{ agent: "a".repeat(101) }],
    [{ system: "pay;ments" }],
    [{ risk: "severe" }],
    [{ after: "123_not-a-uuid" }],
    [{ after: `abc_${ID}` }],
    [{ after: `99999999999999999_${ID}` }],
    [{ agent: ["a", "b"] }],
  ])("drops %o instead of failing", (raw) => {
    const parsed = inboxFiltersSchema.parse(raw);
    expect(Object.values(parsed).every((value) => value === undefined)).toBe(true);
  });

  it("knows history outcomes and its own cursor", () => {
    expect(historyFiltersSchema.parse({ outcome: "expired", before: `5_${ID}` })).toMatchObject({ outcome: "expired", before: { id: ID } });
    expect(historyFiltersSchema.parse({ outcome: "pending" }).outcome).toBeUndefined();
  });

  it("renders filters back to URL parameters, leaving empty ones out", () => {
    expect(filterParams({ agent: "a", risk: "high", system: undefined }).toString()).toBe("agent=a&risk=high");
  });
});

describe("denyNote", () => {
  it("joins a preset and free text, and gives nothing for nothing", () => {
    expect(denyNote(DENY_PRESETS[1], " Wrong IBAN. ")).toBe(`${DENY_PRESETS[1]} Wrong IBAN.`);
    expect(denyNote(undefined, "Just no.")).toBe("Just no.");
    expect(denyNote(DENY_PRESETS[0], "")).toBe(DENY_PRESETS[0]);
    expect(denyNote(undefined, "  ")).toBeUndefined();
  });
});
