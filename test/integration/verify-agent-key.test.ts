// The agent API's key check against a real database: only a live key of the right secret
// verifies, revocation and expiry take effect on the very next call, and last_used_at is
// written at most once a minute per key.
import { beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/lib/credentials/create-credential";
import { KEY_SCHEME, parseAgentKey } from "@/lib/credentials/key-format";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { verifyAgentKey } from "@/lib/credentials/verify-agent-key";
import { db } from "@/lib/db/client";

let adminId: string;
let agentId: string;

const issue = (label: string, expiresAt?: Date) =>
  db().$transaction((tx) => createCredential(tx, { type: "system", via: "test" }, { agentId, label, expiresAt }));
const lastUsed = async (id: string) => (await db().credential.findUniqueOrThrow({ where: { id }, select: { lastUsedAt: true } })).lastUsedAt;

beforeAll(async () => {
  adminId = (await db().person.create({ data: { email: "verify.admin@example.com", name: "Verify Admin", roles: ["admin"] } })).id;
  agentId = (await db().agent.create({ data: { slug: "verified", name: "Verified", purpose: "Calls the API.", deployedById: adminId, status: "active" } })).id;
});

describe("verifyAgentKey", () => {
  it("answers the agent and credential ids for a live key", async () => {
    const created = await issue("live");
    expect(await verifyAgentKey(created.key)).toEqual({ agentId, credentialId: created.id, expiresAt: null });
  });

  it("refuses a wrong secret, an unknown prefix and malformed keys", async () => {
    const created = await issue("target");
    const { prefix, secret } = parseAgentKey(created.key)!;
    const otherSecret = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    const cases = [
      `${KEY_SCHEME}_${prefix}_${otherSecret}`,
      `${KEY_SCHEME}_${"Z".repeat(prefix.length)}_${secret}`,
      `${KEY_SCHEME}_${prefix}_${secret}x`,
      created.key.toUpperCase(),
      created.key.slice(0, -1),
      ` ${created.key}`,
      "",
      "Bearer " + created.key,
      undefined,
      null,
      42,
    ];
    for (const raw of cases) expect(await verifyAgentKey(raw)).toBeNull();
    // The real key still verifies: the refusals changed nothing.
    expect(await verifyAgentKey(created.key)).not.toBeNull();
  });

  it("stops accepting a key as soon as it is revoked", async () => {
    const created = await issue("to revoke");
    expect(await verifyAgentKey(created.key)).not.toBeNull();
    const admin = { id: adminId, roles: ["admin" as const] };
    await db().$transaction((tx) => revokeCredential(tx, admin, { type: "person", personId: adminId }, { agentId, credentialId: created.id }));
    expect(await verifyAgentKey(created.key)).toBeNull();
  });

  it("refuses an expired key from the moment it expires", async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const created = await issue("short-lived", expiresAt);
    expect(await verifyAgentKey(created.key, new Date(expiresAt.getTime() - 1))).not.toBeNull();
    expect(await verifyAgentKey(created.key, expiresAt)).toBeNull();
    expect(await verifyAgentKey(created.key, new Date(expiresAt.getTime() + 86_400_000))).toBeNull();
  });

  it("writes last_used_at on first use and then at most once a minute", async () => {
    const created = await issue("busy");
    expect(await lastUsed(created.id)).toBeNull();
    const start = new Date(Date.now() + 1_000);
    await verifyAgentKey(created.key, start);
    expect(await lastUsed(created.id)).toEqual(start);

    for (const offset of [1, 1_000, 30_000, 59_999]) await verifyAgentKey(created.key, new Date(start.getTime() + offset));
    expect(await lastUsed(created.id)).toEqual(start);

    const later = new Date(start.getTime() + 60_001);
    await verifyAgentKey(created.key, later);
    expect(await lastUsed(created.id)).toEqual(later);
  });
});
