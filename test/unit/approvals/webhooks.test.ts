// Webhook pieces that need no database: signatures (and replay windows), payloads with and
// without parameters, the Slack text, URL and address rules, secrets at rest, and backoff.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildCheckpointPayload, escapeSlack, type CheckpointEventRow } from "@/lib/webhooks/build-payload";
import { nextRetryDelayMs } from "@/lib/webhooks/retry-policy";
import { signatureFor, signatureHeader, verifySignature } from "@/lib/webhooks/sign-payload";
import { openSecret, sealSecret, SecretUnreadableError } from "@/lib/webhooks/webhook-secret";
import { refusedAddress, webhookUrlSchema } from "@/lib/webhooks/webhook-url";

const SECRET = "whsec_test-secret-for-unit-tests-0001";
const NOW = new Date("2026-11-28T10:00:00Z");

describe("signatures", () => {
  it("signs `${t}.${body}` with HMAC-SHA256 and verifies within the tolerance only", () => {
    const body = JSON.stringify({ type: "checkpoint.created" });
    const header = signatureHeader(SECRET, body, NOW);
    const t = Math.floor(NOW.getTime() / 1000);
    expect(header).toBe(`t=${t},v1=${signatureFor(SECRET, body, t)}`);
    // Known answer, from: printf '1.{}' | openssl dgst -sha256 -hmac secret
    expect(signatureFor("secret", "{}", 1)).toBe("1122767b193110cfec322b6f199b599edbf608ed087f2d27afb0b97d99523908");
    expect(verifySignature(SECRET, body, header, NOW)).toBe(true);
    expect(verifySignature(SECRET, body, header, new Date(NOW.getTime() + 299_000))).toBe(true);
    expect(verifySignature(SECRET, body, header, new Date(NOW.getTime() + 301_000))).toBe(false);
    expect(verifySignature(SECRET, `${body} `, header, NOW)).toBe(false);
    expect(verifySignature("whsec_other-secret-0000000000000000", body, header, NOW)).toBe(false);
    expect(verifySignature(SECRET, body, header.replace(/t=\d+/, `t=${t + 1}`), NOW)).toBe(false);
    expect(verifySignature(SECRET, body, "t=abc,v1=00", NOW)).toBe(false);
    expect(verifySignature(SECRET, body, undefined, NOW)).toBe(false);
    // A receiver rotating secrets may see several v1 values; one valid is enough.
    expect(verifySignature(SECRET, body, `${header},v1=${"0".repeat(64)}`, NOW)).toBe(true);
  });
});

const row: CheckpointEventRow = {
  checkpointId: "0193a0b2-7c1d-7e3f-8a4b-5c6d7e8f9a0b",
  status: "denied",
  decisionId: "0193a0b2-7c1d-7e3f-8a4b-5c6d7e8f9a0c",
  requiredApprovals: 2,
  createdAt: new Date("2026-11-28T09:55:00Z"),
  expiresAt: new Date("2026-11-28T10:10:00Z"),
  decidedAt: new Date("2026-11-28T09:58:00Z"),
  note: "Wrong <customer> & amount",
  agent: { slug: "finance-refunds", name: "Finance Refunds", maturity: "principal" },
  action: "payments.refund.issue",
  category: "financial",
  risk: "critical",
  resource: "charges/ch_1042",
  params: { amount: 1500, iban: "DE89370400440532013000" },
  reasoning: { instruction: "Refund ticket 4711.", considered: null, chosen: null, rationale: null },
  onBehalfOf: "olivia.grant@example.com",
  votes: [
    { person: "Priya Raman", verdict: "approve", at: "2026-11-28T09:56:00Z" },
    { person: "Tomás Herrera", verdict: "deny", at: "2026-11-28T09:58:00Z" },
  ],
};

describe("payloads", () => {
  it("leaves parameters, reasoning and the on-behalf-of user out unless opted in", () => {
    const plain = buildCheckpointPayload("checkpoint.decided", row, { deliveryId: "d1", includeParams: false, now: NOW });
    expect(JSON.stringify(plain)).not.toContain("DE89");
    expect(JSON.stringify(plain)).not.toContain("olivia");
    expect(plain).toMatchObject({ id: "d1", type: "checkpoint.decided", occurredAt: "2026-11-28T09:58:00.000Z", checkpoint: { status: "denied", decidedBy: "Tomás Herrera", approvals: 1 } });
    const full = buildCheckpointPayload("checkpoint.decided", row, { deliveryId: "d1", includeParams: true, now: NOW, consoleUrl: "https://m.example.com/" });
    expect(full).toMatchObject({ params: row.params, reasoning: row.reasoning, onBehalfOf: row.onBehalfOf, checkpoint: { url: `https://m.example.com/approvals?checkpoint=${row.checkpointId}` } });
  });

  it("writes a Slack line per event, escaping Slack's control characters", () => {
    const text = (event: Parameters<typeof buildCheckpointPayload>[0], status = row.status) =>
      buildCheckpointPayload(event, { ...row, status }, { deliveryId: "d", includeParams: false, now: NOW }).text;
    expect(text("checkpoint.decided")).toBe(":no_entry: Denied by Tomás Herrera: *Finance Refunds* wants `payments.refund.issue` on `charges/ch_1042` (critical risk): Wrong &lt;customer&gt; &amp; amount.");
    expect(text("checkpoint.created", "pending")).toMatch(/^:hourglass: Approval needed: .* \(critical risk\), needs 2 approvers; expires 2026-11-28T10:10:00.000Z\.$/);
    expect(text("checkpoint.expired", "expired")).toMatch(/^:no_entry: Expired without a decision \(a deny\)/);
    expect(text("checkpoint.cancelled", "cancelled")).toMatch(/^:octagonal_sign: Cancelled: /);
    expect(escapeSlack("<!channel> & co")).toBe("&lt;!channel&gt; &amp; co");
  });
});

describe("webhook URLs and addresses", () => {
  it("accepts http(s) URLs and drops the fragment", () => {
    expect(webhookUrlSchema.parse(" https://hooks.slack.com/services/T0/B0/xyz#top ")).toBe("https://hooks.slack.com/services/T0/B0/xyz");
    expect(webhookUrlSchema.parse("http://10.0.0.5:8080/mandate")).toBe("http://10.0.0.5:8080/mandate");
  });

  it.each(["file:///etc/passwd", "gopher://x", "https://a:b@x.example.com", "http://169.254.169.254/", "http://[fe80::1]/", "http://224.0.0.1/", "not a url", ""])(
    "refuses %s",
    (url) => {
      expect(webhookUrlSchema.safeParse(url).success).toBe(false);
    },
  );

  it("refuses link-local, unspecified, multicast and mapped forms always; private ranges only when told to", () => {
    for (const address of ["169.254.169.254", "0.0.0.0", "::", "fe80::1", "::ffff:169.254.169.254", "239.1.1.1", "255.255.255.255", "not-an-ip"]) {
      expect(refusedAddress(address, {})).toBe(true);
    }
    for (const address of ["127.0.0.1", "10.1.2.3", "192.168.1.1", "::1", "fd00::1", "93.184.216.34", "2606:4700::1111"]) {
      expect(refusedAddress(address, {})).toBe(false);
    }
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "::1", "fd00::1", "::ffff:10.0.0.1"]) {
      expect(refusedAddress(address, { MANDATE_WEBHOOK_ALLOW_PRIVATE: "0" })).toBe(true);
    }
    expect(refusedAddress("93.184.216.34", { MANDATE_WEBHOOK_ALLOW_PRIVATE: "0" })).toBe(false);
  });
});

describe("secrets at rest", () => {
  const env = { NEXTAUTH_SECRET: randomBytes(32).toString("base64url") };

  it("round-trips, never stores the plain text, and differs each time", () => {
    const sealed = sealSecret(SECRET, env);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toBe(sealSecret(SECRET, env));
    expect(openSecret(sealed, env)).toBe(SECRET);
  });

  it("refuses a changed NEXTAUTH_SECRET or a tampered value with a clear error", () => {
    const sealed = sealSecret(SECRET, env);
    expect(() => openSecret(sealed, { NEXTAUTH_SECRET: randomBytes(32).toString("base64url") })).toThrow(SecretUnreadableError);
    const [version, iv, tag, data] = sealed.split(".");
    const flipped = `${data!.slice(0, -2)}${data!.endsWith("A") ? "B" : "A"}${data!.slice(-1)}`;
    expect(() => openSecret([version, iv, tag, flipped].join("."), env)).toThrow(/cannot be decrypted/);
    expect(() => openSecret("plain-text", env)).toThrow(SecretUnreadableError);
    expect(() => sealSecret(SECRET, {})).toThrow(/NEXTAUTH_SECRET/);
  });
});

describe("backoff", () => {
  it("doubles from the base up to the cap, with bounded jitter", () => {
    expect([1, 2, 3, 4].map((attempt) => nextRetryDelayMs(attempt, { jitter: 0 }))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(nextRetryDelayMs(30, { jitter: 0 })).toBe(3_600_000);
    expect(nextRetryDelayMs(1, {}, () => 0)).toBe(8_000);
    expect(nextRetryDelayMs(1, {}, () => 1)).toBe(12_000);
  });
});
