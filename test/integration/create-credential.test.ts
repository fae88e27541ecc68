import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { createCredential, type CreateCredentialInput } from "@/lib/credentials/create-credential";
import { parseAgentKey, secretMatches } from "@/lib/credentials/key-format";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

let owner: string;
let agentId: string;
let retiredId: string;

beforeAll(async () => {
  owner = (await db().person.create({ data: { email: "key.owner@example.com", name: "Key Owner" } })).id;
  agentId = (await db().agent.create({ data: { slug: "keyed", name: "Keyed", purpose: "Tests keys.", deployedById: owner, status: "active" } })).id;
  retiredId = (await db().agent.create({ data: { slug: "gone", name: "Gone", purpose: "Retired.", deployedById: owner, status: "retired" } })).id;
});

const create = (actor: Actor, input: CreateCredentialInput) => db().$transaction((tx) => createCredential(tx, actor, input));

describe("createCredential", () => {
  it("returns the key once, stores only its hash, and audits label, prefix and expiry without the secret", async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const created = await create({ type: "person", personId: owner }, { agentId, label: " deploy ", expiresAt });
    const parsed = parseAgentKey(created.key);
    expect(parsed?.prefix).toBe(created.prefix);

    const row = await db().credential.findUniqueOrThrow({ where: { id: created.id }, omit: { secretHash: false } });
    expect(row).toMatchObject({ agentId, label: "deploy", prefix: created.prefix, createdById: owner, expiresAt });
    expect(secretMatches(parsed?.secret ?? "", row.secretHash)).toBe(true);
    expect(row.secretHash).not.toContain(parsed?.secret);

    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "credential.created", subjectId: created.id } });
    expect(event).toMatchObject({ actorType: "person", actorPersonId: owner, agentId, data: { label: "deploy", prefix: created.prefix, expiresAt: expiresAt.toISOString() } });
    expect(JSON.stringify(event.data)).not.toContain(parsed?.secret);
  });

  it.each([
    ["an unknown agent", { agentId: randomUUID(), label: "x" }, "not_found"],
    ["a malformed agent id", { agentId: "agent-1", label: "x" }, "validation_failed"],
    ["an empty label", { agentId: "AGENT", label: "   " }, "validation_failed"],
    ["an expiry in the past", { agentId: "AGENT", label: "x", expiresAt: new Date(Date.now() - 1000) }, "validation_failed"],
    ["a retired agent", { agentId: "RETIRED", label: "x" }, "conflict"],
  ])("refuses %s and writes nothing", async (_label, input, code) => {
    const resolved = { ...input, agentId: input.agentId === "AGENT" ? agentId : input.agentId === "RETIRED" ? retiredId : input.agentId };
    const before = await Promise.all([db().credential.count(), db().auditEvent.count()]);
    const error = await create({ type: "system", via: "test" }, resolved).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect(await Promise.all([db().credential.count(), db().auditEvent.count()])).toEqual(before);
  });
});
