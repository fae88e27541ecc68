// The hash formula is a contract with every past seal: a change here must fail loudly.
import { describe, expect, it } from "vitest";
import { CANONICAL_COLUMNS, GENESIS_HASH, canonicalSql, isHash, sealHash } from "@/lib/audit/canonical-event";

describe("sealHash", () => {
  it("is SHA-256 over the tag, position, previous hash and canonical text (a pinned vector)", () => {
    expect(sealHash(1, GENESIS_HASH, '[1, 2, "é"]')).toBe("341db5d181a78cce501d4d6bc24911b45947e616cc163a1c2a08d78527b46894");
  });

  it("gives the same hash for the position as a number, a string or a bigint", () => {
    const canonical = '[7, null, {"a": 1}]';
    expect(sealHash("42", GENESIS_HASH, canonical)).toBe(sealHash(42, GENESIS_HASH, canonical));
    expect(sealHash(42n, GENESIS_HASH, canonical)).toBe(sealHash(42, GENESIS_HASH, canonical));
  });

  it.each([
    ["the position", () => sealHash(2, GENESIS_HASH, "[1]")],
    ["the previous hash", () => sealHash(1, "f".repeat(64), "[1]")],
    ["the content", () => sealHash(1, GENESIS_HASH, "[2]")],
  ])("changes with %s", (_what, other) => {
    expect(other()).not.toBe(sealHash(1, GENESIS_HASH, "[1]"));
  });
});

describe("canonicalSql", () => {
  it("lists every immutable column once, in the fixed order, free text with its byte length, the time as integer microseconds", () => {
    const sql = canonicalSql("e");
    expect(sql.startsWith("array_to_string(ARRAY[e.id::text, (extract(epoch FROM e.created_at) * 1000000)::bigint::text, e.actor_type::text")).toBe(true);
    expect(sql.endsWith("], E'\\n', '~')")).toBe(true);
    expect(sql).toContain("octet_length(e.user_agent)::text || ':' || e.user_agent");
    expect(sql).toContain("e.data::text, e.reasoning::text");
    for (const column of CANONICAL_COLUMNS) expect(sql.match(new RegExp(`\\be\\.${column}\\b`, "g"))?.length).toBeGreaterThan(0);
    // The seal (now in audit_seal) was never hashed: every hash made while it lived in audit_event still holds.
    for (const column of ["seq", "prev_hash", "hash"]) expect(sql).not.toMatch(new RegExp(`\\be\\.${column}\\b`));
  });

  it.each(["", "e; DROP TABLE x", "E", "1e"])("refuses the alias %j", (alias) => {
    expect(() => canonicalSql(alias)).toThrow("Bad SQL alias");
  });
});

describe("isHash", () => {
  it.each([
    [GENESIS_HASH, true],
    ["a".repeat(64), true],
    ["A".repeat(64), false],
    ["a".repeat(63), false],
    [null, false],
  ])("%j → %s", (value, expected) => {
    expect(isHash(value)).toBe(expected);
  });
});
