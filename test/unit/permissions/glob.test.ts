// Resource globs: "*" within one segment, "**" across, anchored, case-sensitive, everything else literal.
import { describe, expect, it } from "vitest";
import { globMatches, isCanonicalResource } from "@/lib/permissions/glob";

describe("globMatches", () => {
  it.each([
    ["tickets/*", "tickets/42", true],
    ["tickets/*", "tickets/42/notes", false],
    ["tickets/*", "tickets/", true],
    ["tickets/*", "tickets", false],
    ["tickets/*", "Tickets/42", false],
    ["tickets/*", "old-tickets/42", false],
    ["tickets/42", "tickets/420", false],
    ["tickets/**", "tickets/42/notes/7", true],
    ["tickets/**", "tickets", false],
    ["**", "anything/at/all", true],
    ["**/secret", "a/b/secret", true],
    ["**/secret", "a/b/secret/not", false],
    ["a*b", "a/b", false],
    ["a**b", "a/x/y/b", true],
    ["a***b", "a/x/b", true],
    ["*.txt", "notes.txt", true],
    ["*.txt", "notesXtxt", false],
    ["*.txt", "dir/notes.txt", false],
    ["file?.txt", "file1.txt", false],
    ["acme/[ab]", "acme/[ab]", true],
    ["acme/[ab]", "acme/a", false],
    ["acme/(x|y)", "acme/x", false],
    ["#support-*", "#support-escalations", true],
    ["#support-*", "#general", false],
    ["acme/*", "acme/widgets", true],
    ["contacts/*/notes", "contacts/7/notes", true],
    ["contacts/*/notes", "contacts/7/8/notes", false],
    ["", "", true],
  ])("%j against %j → %s", (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });

  it("answers fast on patterns that make regular expressions backtrack", () => {
    const started = performance.now();
    expect(globMatches(`${"a*".repeat(40)}b`, "a".repeat(5000))).toBe(false);
    expect(globMatches(`${"**a".repeat(40)}b`, "a".repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("isCanonicalResource", () => {
  it.each([
    ["tickets/42", true],
    ["/absolute/path", true],
    ["folder/", true],
    ["tickets/../admin", false],
    ["tickets/./42", false],
    ["tickets//42", false],
    ["tickets/%2E%2E/admin", false],
    ["tickets/%2e./admin", false],
    ["tickets\\..\\admin", false],
    ["..", false],
    ["", false],
    ["tickets/..hidden", true],
  ])("%j → %s", (value, expected) => {
    expect(isCanonicalResource(value)).toBe(expected);
  });
});
