// Parameter limits: numbers, one-of strings, and e-mail/URL domains with the usual tricks.
import { describe, expect, it } from "vitest";
import type { ParamLimit } from "@/lib/permissions/conditions";
import { hostAllowed, hostOf } from "@/lib/permissions/domains";
import { paramFailure, paramValue } from "@/lib/permissions/params";

describe("hostOf", () => {
  it.each([
    ["ann@example.com", "example.com"],
    ["Ann@EXAMPLE.com", "example.com"],
    ["ann@example.com.", "example.com"],
    ["ann@mail.example.com", "mail.example.com"],
    ["mailto:ann@example.com", "example.com"],
    ["https://example.com/path?q=1", "example.com"],
    ["https://EXAMPLE.com./x", "example.com"],
    ["http://example.com:8080/x", "example.com"],
    ["https://evil.com\\@example.com", "evil.com"],
    ["ann@example.com..", null],
    ["https://example.com@evil.com/", null],
    ["https://user:pw@example.com/", null],
    ["ftp://example.com/file", null],
    ["javascript:alert(1)", null],
    ['"ann@x"@example.com', null],
    ["Ann <ann@example.com>", null],
    ["ann@example.com:25", null],
    ["ann@example.com/evil", null],
    ["ann@[127.0.0.1]", null],
    ["https://127.0.0.1/", null],
    ["ann@@example.com", null],
    ["@example.com", null],
    [".ann@example.com", null],
    ["ann@example.com\n", null],
    ["mailto:ann@example.com?cc=eve@evil.com", null],
    ["", null],
  ])("%j → %j", (value, expected) => {
    expect(hostOf(value)).toBe(expected);
  });
});

describe("hostAllowed", () => {
  it.each([
    ["example.com", true],
    ["mail.example.com", true],
    ["a.b.example.com", true],
    ["evil-example.com", false],
    ["notexample.com", false],
    ["example.com.evil.com", false],
    ["example.co", false],
  ])("%s under example.com → %s", (host, expected) => {
    expect(hostAllowed(host, ["example.com"])).toBe(expected);
  });

  it("normalises the allowed domains too", () => {
    expect(hostAllowed("mail.example.com", ["Example.COM."])).toBe(true);
  });
});

describe("paramFailure", () => {
  const amount: ParamLimit = { min: 1, max: 10 };
  const currency: ParamLimit = { oneOf: ["USD", "EUR"] };
  const to: ParamLimit = { domains: ["example.com"] };
  it.each<[string, string, ParamLimit, Record<string, unknown> | null, RegExp | null]>([
    ["a number inside the range", "amount", amount, { amount: 5 }, null],
    ["the minimum itself", "amount", amount, { amount: 1 }, null],
    ["the maximum itself", "amount", amount, { amount: 10 }, null],
    ["below the minimum", "amount", amount, { amount: 0.99 }, /below the minimum 1/],
    ["above the maximum", "amount", amount, { amount: 10.01 }, /above the maximum 10/],
    ["only a maximum", "amount", { max: 10 }, { amount: -1e9 }, null],
    ["a number sent as a string", "amount", amount, { amount: "5" }, /not a number/],
    ["a boolean", "amount", amount, { amount: true }, /not a number/],
    ["infinity", "amount", amount, { amount: Number.POSITIVE_INFINITY }, /not a number/],
    ["missing", "amount", amount, {}, /missing/],
    ["null", "amount", amount, { amount: null }, /missing/],
    ["no params at all", "amount", amount, null, /missing/],
    ["one of the list", "currency", currency, { currency: "EUR" }, null],
    ["another case", "currency", currency, { currency: "eur" }, /not one of/],
    ["a list of one allowed value", "currency", currency, { currency: ["EUR"] }, /not one of/],
    ["an allowed domain", "to", to, { to: "ann@example.com" }, null],
    ["a list of allowed addresses", "to", to, { to: ["ann@example.com", "https://docs.example.com/x"] }, null],
    ["one address outside in a list", "to", to, { to: ["ann@example.com", "eve@evil.com"] }, /outside example.com/],
    ["an empty list", "to", to, { to: [] }, /empty list/],
    ["a look-alike domain", "to", to, { to: "eve@evil-example.com" }, /outside/],
    ["a URL with userinfo", "to", to, { to: "https://example.com@evil.com" }, /not a plain/],
    ["a number where an address belongs", "to", to, { to: 42 }, /not a plain/],
    ["a nested parameter", "recipient.to", to, { recipient: { to: "ann@example.com" } }, null],
    ["a dotted key", "recipient.to", to, { "recipient.to": "ann@example.com" }, null],
    ["a dotted key and a nested value that differ", "recipient.to", to, { "recipient.to": "ann@example.com", recipient: { to: "eve@evil.com" } }, /given twice/],
    ["an inherited key", "constructor", currency, {}, /missing/],
  ])("%s", (_name, name, limit, params, expected) => {
    const failure = paramFailure(name, limit, params);
    if (expected === null) expect(failure).toBeNull();
    else expect(failure).toMatch(expected);
  });

  it("reads only own keys", () => {
    expect(paramValue(Object.create({ amount: 5 }) as Record<string, unknown>, "amount").found).toBe(false);
  });
});
