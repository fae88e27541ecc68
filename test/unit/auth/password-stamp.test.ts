import { describe, expect, it } from "vitest";
import { passwordStamp, stampMatches } from "@/lib/auth/password-stamp";

const SECRET = "a".repeat(43);
const HASH = "scrypt$16384$8$1$c2FsdA$aGFzaA";

describe("passwordStamp", () => {
  it("matches the hash it was taken from and nothing else", () => {
    const stamp = passwordStamp(SECRET, HASH);
    expect(stampMatches(SECRET, stamp, HASH)).toBe(true);
    expect(stampMatches(SECRET, stamp, `${HASH}x`)).toBe(false);
    expect(stampMatches(SECRET, stamp, null)).toBe(false);
  });

  it("depends on the session secret and does not contain the hash", () => {
    const stamp = passwordStamp(SECRET, HASH);
    expect(passwordStamp("b".repeat(43), HASH)).not.toBe(stamp);
    expect(stamp).not.toContain("aGFzaA");
    expect(stamp).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("refuses a session without a stamp, or with a stamp of another type", () => {
    expect(stampMatches(SECRET, undefined, HASH)).toBe(false);
    expect(stampMatches(SECRET, 42, HASH)).toBe(false);
    expect(stampMatches(SECRET, "", null)).toBe(false);
  });

  it("stamps a person without a password (single sign-on) and ends that session once a password is set", () => {
    const stamp = passwordStamp(SECRET, null);
    expect(stampMatches(SECRET, stamp, null)).toBe(true);
    expect(stampMatches(SECRET, stamp, HASH)).toBe(false);
  });
});
