// A resource that a receiving system could percent-decode into a different path never matches a
// written-list pattern: encoded dots and separators count as what they decode to, at any depth of
// "%25" encoding; ordinary escapes (spaces, percent signs) stay plain paths.
import { describe, expect, it } from "vitest";
import { isCanonicalResource } from "@/lib/permissions/glob";
import { conditionsFailure } from "@/lib/permissions/match-conditions";

describe("isCanonicalResource with percent-encoding", () => {
  it.each([
    ["tickets/%2e%2e%2fadmin", false],
    ["tickets/%2E%2E%2Fadmin", false],
    ["tickets/..%2fadmin", false],
    ["tickets/..%5cadmin", false],
    ["tickets/a%2fb", false],
    ["tickets/%252e%252e%252fadmin", false],
    ["tickets/%25252e%25252e/admin", false],
    ["tickets/%2e%2e", false],
    ["tickets/a%20b", true],
    ["reports/50%25-off", true],
    ["tickets/4711%2epdf", true],
  ])("%j → %s", (value, expected) => {
    expect(isCanonicalResource(value)).toBe(expected);
  });

  it("fails the resource condition for an encoded climb out of the pattern", () => {
    const conditions = { resource: "tickets/**" };
    expect(conditionsFailure(conditions, { action: "t.doc.read", resource: "tickets/%2e%2e%2fadmin" }, new Date())).toMatch(/not a plain path/);
    expect(conditionsFailure(conditions, { action: "t.doc.read", resource: "tickets/4711" }, new Date())).toBeNull();
  });
});
