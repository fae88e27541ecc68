import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, passwordWeakness, verifyPassword } from "@/lib/auth/password";

describe("hashPassword / verifyPassword", () => {
  it("round-trips and never stores the password itself", async () => {
    const password = "Tr1cky-Passphrase!";
    const stored = await hashPassword(password);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain(password);
    expect(await verifyPassword(password, stored)).toBe(true);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("Same-Password-1")).not.toEqual(await hashPassword("Same-Password-1"));
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword("Right-Password-1");
    expect(await verifyPassword("Right-Password-2", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it.each([
    ["missing", null],
    ["undefined", undefined],
    ["empty", ""],
    ["another scheme", "bcrypt$2b$10$abcdefghijklmnopqrstuv"],
    ["too few parts", "scrypt$16384$8$1$c2FsdA"],
    ["the password in plain", "Right-Password-1"],
  ])("treats a %s stored hash as no match", async (_label, stored) => {
    expect(await verifyPassword("Right-Password-1", stored)).toBe(false);
  });

  it("normalises Unicode so the same visible password matches", async () => {
    const stored = await hashPassword("Caf\u00e9-Latte-2024");
    expect(await verifyPassword("Cafe\u0301-Latte-2024", stored)).toBe(true);
  });
});

describe("passwordWeakness", () => {
  it.each([
    ["short", "Ab1!xyz", {}, "Use at least 12 characters."],
    ["too long", `Aa1!${"x".repeat(300)}`, {}, "Use at most 256 characters."],
    ["one class", "abcdefghijklmnop", {}, "Mix at least three of: lower case, upper case, digits, symbols."],
    ["two classes", "abcdefgh12345678", {}, "Mix at least three of: lower case, upper case, digits, symbols."],
    ["repetitive", "Aa1Aa1Aa1Aa1Aa1", {}, "Use more varied characters."],
    ["contains the e-mail name", "Xx9-Jordan.Lee-77", { email: "jordan.lee@example.com" }, "Do not use your e-mail address in the password."],
    ["common word", "MyPassword-2024", {}, "Avoid common words and sequences."],
    ["product name", "Mandate-Rocks-99", {}, "Avoid common words and sequences."],
  ])("refuses %s", (_label, password, context, reason) => {
    expect(passwordWeakness(password, context)).toBe(reason);
  });

  it.each([["Correct-Horse-42!"], ["violet Tiger 7 lamp"], ["Zq8#mWp2$kLr"]])("accepts %s", (password) => {
    expect(passwordWeakness(password, { email: "sam@example.com" })).toBeNull();
  });

  it("generates passwords it would accept", () => {
    for (let index = 0; index < 20; index += 1) expect(passwordWeakness(generatePassword())).toBeNull();
  });
});
