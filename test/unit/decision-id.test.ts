import { describe, expect, it } from "vitest";
import { newDecisionId } from "@/lib/decisions/decision-id";

describe("newDecisionId", () => {
  it("makes RFC 9562 version-7 UUIDs that carry their time", () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const id = newDecisionId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(now);
  });

  it("sorts by time and does not repeat", () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => newDecisionId(1_700_000_000_000 + Math.floor(index / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    const earlier = newDecisionId(1_700_000_000_000);
    const later = newDecisionId(1_700_000_000_001);
    expect(earlier < later).toBe(true);
  });
});
