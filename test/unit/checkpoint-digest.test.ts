// The checkpoint digest: SHA-256 over RFC 8785 canonical JSON, so the same request always binds to
// the same digest whatever its key order or number spelling, and any change of what would be done
// makes another one.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { checkpointDigest } from "@/lib/decisions/checkpoint-digest";

const AGENT = "0190a3c4-0000-7000-8000-000000000001";
const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("RFC 8785 canonical JSON (the canonicalize package)", () => {
  const vectors: Array<[unknown, string]> = [
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ "\u20ac": 1, "\r": 2, "1": 3, "\u00e9": 4, "\ud83d\ude00": 5 }, '{"\\r":2,"1":3,"é":4,"€":1,"😀":5}'],
    [[1e21, 1e-7, -0, 0.1 + 0.2, 100], "[1e+21,1e-7,0,0.30000000000000004,100]"],
    [{ s: "\u2028\u0007\"\\/" }, '{"s":"\u2028\\u0007\\"\\\\/"}'],
    [{ nested: { z: [true, null], y: "x" } }, '{"nested":{"y":"x","z":[true,null]}}'],
  ];
  for (const [value, expected] of vectors) {
    it(`serializes ${JSON.stringify(value)}`, () => expect(canonicalize(value)).toBe(expected));
  }
});

describe("checkpointDigest", () => {
  const base = { agentId: AGENT, action: "payments.refund.issue", resource: "charges/ch_1", params: { amount: 120, currency: "EUR" } };

  it("is the SHA-256 of the canonical { agent, action, resource, params }", () => {
    const canonical = '{"action":"payments.refund.issue","agent":"0190a3c4-0000-7000-8000-000000000001","params":{"amount":120,"currency":"EUR"},"resource":"charges/ch_1"}';
    expect(checkpointDigest(base)).toBe(sha(canonical));
  });

  it("ignores key order and number spelling", () => {
    expect(checkpointDigest({ ...base, params: { currency: "EUR", amount: 120.0 } })).toBe(checkpointDigest(base));
  });

  it("treats a missing resource as null and missing params as {}", () => {
    expect(checkpointDigest({ agentId: AGENT, action: "a.b" })).toBe(checkpointDigest({ agentId: AGENT, action: "a.b", resource: null, params: {} }));
    expect(checkpointDigest({ agentId: AGENT, action: "a.b" })).toBe(sha(`{"action":"a.b","agent":"${AGENT}","params":{},"resource":null}`));
  });

  const changes: Array<[string, Parameters<typeof checkpointDigest>[0]]> = [
    ["another agent", { ...base, agentId: "0190a3c4-0000-7000-8000-000000000002" }],
    ["another action", { ...base, action: "payments.refund.void" }],
    ["another resource", { ...base, resource: "charges/ch_2" }],
    ["another amount", { ...base, params: { amount: 121, currency: "EUR" } }],
    ["an extra parameter", { ...base, params: { ...base.params, note: "" } }],
    ["a number as a string", { ...base, params: { amount: "120", currency: "EUR" } }],
  ];
  for (const [name, changed] of changes) {
    it(`changes with ${name}`, () => expect(checkpointDigest(changed)).not.toBe(checkpointDigest(base)));
  }
});
