import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KEY_LENGTH, generateAgentKey, hashSecret, parseAgentKey, secretMatches } from "@/lib/credentials/key-format";

describe("generateAgentKey", () => {
  it("has the documented shape", () => {
    const { key, prefix, secretHash } = generateAgentKey();
    expect(key).toMatch(/^mnd_[0-9A-Za-z]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key).toHaveLength(KEY_LENGTH);
    expect(key.startsWith(`mnd_${prefix}_`)).toBe(true);
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stores the SHA-256 of the secret, not the secret", () => {
    const { key, prefix, secretHash } = generateAgentKey();
    const secret = key.slice(`mnd_${prefix}_`.length);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(secretHash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(secretHash).not.toContain(secret);
  });

  it("never repeats a prefix or a secret", () => {
    const keys = Array.from({ length: 2000 }, () => generateAgentKey());
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.secretHash)).size).toBe(keys.length);
  });

  it("uses the whole base62 alphabet for prefixes", () => {
    const seen = new Set(Array.from({ length: 500 }, () => generateAgentKey().prefix).join(""));
    expect(seen.size).toBe(62);
  });
});

describe("parseAgentKey", () => {
  it("round-trips a generated key, even when the secret contains '_'", () => {
    for (let i = 0; i < 200; i += 1) {
      const { key, prefix, secretHash } = generateAgentKey();
      const parsed = parseAgentKey(key);
      expect(parsed?.prefix).toBe(prefix);
      expect(parsed && hashSecret(parsed.secret)).toBe(secretHash);
    }
    const underscored = `mnd_abcDEF123456_${"_".repeat(43)}`;
    expect(parseAgentKey(underscored)).toEqual({ prefix: "abcDEF123456", secret: "_".repeat(43) });
  });

  const valid = generateAgentKey().key;
  const cases: Array<[string, unknown]> = [
    ["empty", ""],
    ["not a string", 42],
    ["null", null],
    ["undefined", undefined],
    ["an object", { key: valid }],
    ["wrong scheme", `abc${valid.slice(3)}`],
    ["upper-case scheme", `MND${valid.slice(3)}`],
    ["missing scheme", valid.slice(4)],
    ["one character short", valid.slice(0, -1)],
    ["one character long", `${valid}A`],
    ["far too long", `${valid}${"A".repeat(100_000)}`],
    ["prefix too short, secret too long", `mnd_abcdefghijk_${valid.slice(17)}A`],
    ["non-base62 prefix", `mnd_abc-def_12345${valid.slice(17)}`],
    ["bad separator", `mnd_${valid.slice(4, 16)}.${valid.slice(17)}`],
    ["bearer word kept", `Bearer ${valid}`.slice(0, KEY_LENGTH)],
    ["padding in secret", `${valid.slice(0, -1)}=`],
    ["space in secret", `${valid.slice(0, -1)} `],
    ["newline at end", `${valid.slice(0, -1)}\n`],
    ["non-ASCII", `${valid.slice(0, -1)}é`],
  ];
  it.each(cases)("rejects %s", (_label, raw) => {
    expect(parseAgentKey(raw)).toBeNull();
  });
});

describe("secretMatches", () => {
  const { key, prefix, secretHash } = generateAgentKey();
  const secret = key.slice(`mnd_${prefix}_`.length);

  it("accepts the right secret", () => {
    expect(secretMatches(secret, secretHash)).toBe(true);
  });

  it("rejects a different secret, a one-character change and a stored hash that is malformed", () => {
    const other = generateAgentKey();
    expect(secretMatches(secret, other.secretHash)).toBe(false);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(secretMatches(flipped, secretHash)).toBe(false);
    expect(secretMatches(secret, "")).toBe(false);
    expect(secretMatches(secret, secretHash.slice(0, 63))).toBe(false);
    expect(secretMatches(secret, secretHash.toUpperCase())).toBe(false);
    expect(secretMatches(secret, secret)).toBe(false);
  });

  it("compares hashes, not secrets: the hash itself is not a password", () => {
    expect(secretMatches(secretHash, secretHash)).toBe(false);
  });
});
