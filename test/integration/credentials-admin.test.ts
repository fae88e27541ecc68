// Creating and revoking agent keys as people: the per-agent right (admin, the agent's owners, its
// technical owner), validation that writes nothing, and the audit row of every change.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { createAgentKey, type CreateAgentKeyInput } from "@/lib/credentials/create-agent-key";
import { parseAgentKey } from "@/lib/credentials/key-format";
import { revokeAllCredentials } from "@/lib/credentials/revoke-all-credentials";
import { revokeCredential, type RevokeCredentialInput } from "@/lib/credentials/revoke-credential";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

type Who = "admin" | "owner" | "technical" | "otherOwner" | "approver" | "auditor" | "nobody";
const people = {} as Record<Who, { id: string; roles: Role[] }>;
let agentId: string;
let otherAgentId: string;
let retiredId: string;

const actorOf = (who: Who): Actor => ({ type: "person", personId: people[who].id, via: "console" });
const create = (who: Who, input: Omit<CreateAgentKeyInput, "agentId"> & { agentId?: string }) =>
  db().$transaction((tx) => createAgentKey(tx, people[who], actorOf(who), { agentId, ...input }));
const revoke = (who: Who, input: Omit<RevokeCredentialInput, "agentId"> & { agentId?: string }) =>
  db().$transaction((tx) => revokeCredential(tx, people[who], actorOf(who), { agentId, ...input }));
const revokeAll = (who: Who, reason?: string, target = agentId) =>
  db().$transaction((tx) => revokeAllCredentials(tx, people[who], actorOf(who), { agentId: target, reason }));
const counts = () => Promise.all([db().credential.count(), db().credential.count({ where: { revokedAt: { not: null } } }), db().auditEvent.count()]);
const codeOf = (error: unknown) => (error instanceof AppError ? error.code : `not an AppError: ${String(error)}`);

beforeAll(async () => {
  const roles: Record<Who, Role[]> = { admin: ["admin"], owner: [], technical: [], otherOwner: [], approver: ["approver"], auditor: ["auditor"], nobody: [] };
  for (const who of Object.keys(roles) as Who[]) {
    const person = await db().person.create({ data: { email: `${who.toLowerCase()}@keys.test`, name: who, roles: roles[who] } });
    people[who] = { id: person.id, roles: person.roles };
  }
  const agent = (slug: string, owner: Who, status: "active" | "retired" = "active") =>
    db().agent.create({
      data: { slug, name: slug, purpose: "Tests keys.", status, deployedById: people.admin.id, technicalOwnerId: people.technical.id, owners: { create: [{ personId: people[owner].id }] } },
    });
  agentId = (await agent("keyed-agent", "owner")).id;
  otherAgentId = (await agent("other-agent", "otherOwner")).id;
  retiredId = (await agent("retired-agent", "owner", "retired")).id;
});

describe("who may create and revoke an agent's keys", () => {
  const matrix: Array<[Who, boolean]> = [
    ["admin", true],
    ["owner", true],
    ["technical", true],
    ["otherOwner", false],
    ["approver", false],
    ["auditor", false],
    ["nobody", false],
  ];

  it.each(matrix)("%s: allowed = %s, for create, revoke and revoke all", async (who, allowed) => {
    // A key made by the admin, for the revocation attempts.
    const target = await create("admin", { label: `for ${who}` });
    const before = await counts();
    const attempts = [
      () => create(who, { label: `by ${who}` }),
      () => revoke(who, { credentialId: target.id }),
      () => revokeAll(who),
    ];
    if (!allowed) {
      for (const attempt of attempts) expect(codeOf(await attempt().catch((error: unknown) => error))).toBe("forbidden");
      expect(await counts()).toEqual(before);
      return;
    }
    const made = await attempts[0]!();
    expect(parseAgentKey((made as { key: string }).key)).not.toBeNull();
    await attempts[1]!();
    const all = await attempts[2]!();
    expect((all as { prefixes: string[] }).prefixes).toContain((made as { prefix: string }).prefix);
    expect(await db().credential.count({ where: { agentId, revokedAt: null } })).toBe(0);
  });
});

describe("createAgentKey", () => {
  it("audits the creation with the person, via the console, and never the secret", async () => {
    const created = await create("owner", { label: "deploy", expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "credential.created", subjectId: created.id } });
    expect(event).toMatchObject({ actorType: "person", actorPersonId: people.owner.id, agentId, data: { prefix: created.prefix, label: "deploy", via: "console" } });
    expect(JSON.stringify(event.data)).not.toContain(parseAgentKey(created.key)!.secret);
    const row = await db().credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.createdById).toBe(people.owner.id);
  });

  it.each<[string, { label: string; expiresAt?: string; agentId?: string }, string]>([
    ["an expiry in the past", { label: "x", expiresAt: new Date(Date.now() - 60_000).toISOString() }, "validation_failed"],
    ["an expiry beyond two years", { label: "x", expiresAt: new Date(Date.now() + 2 * 366 * 86_400_000).toISOString() }, "validation_failed"],
    ["an expiry that is no date", { label: "x", expiresAt: "next tuesday" }, "validation_failed"],
    ["an empty label", { label: "   " }, "validation_failed"],
    ["a label over 100 characters", { label: "x".repeat(101) }, "validation_failed"],
    ["a retired agent", { label: "x", agentId: "RETIRED" }, "conflict"],
    ["an unknown agent", { label: "x", agentId: "00000000-0000-4000-8000-000000000000" }, "not_found"],
  ])("refuses %s and writes nothing", async (_case, input, code) => {
    const before = await counts();
    const resolved = { ...input, agentId: input.agentId === "RETIRED" ? retiredId : (input.agentId ?? agentId) };
    const error = await create("admin", resolved).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe(code);
    expect(await counts()).toEqual(before);
  });

  it("accepts an expiry just inside two years", async () => {
    const created = await create("admin", { label: "long", expiresAt: new Date(Date.now() + 700 * 86_400_000).toISOString() });
    expect(created.prefix).toHaveLength(12);
  });
});

describe("revokeCredential and revokeAllCredentials", () => {
  it("revokes one key by id or by prefix, audited with the prefix and the reason, and refuses a second revocation", async () => {
    const first = await create("technical", { label: "one" });
    const second = await create("technical", { label: "two" });
    const revoked = await revoke("technical", { credentialId: first.id, reason: "rotated" });
    expect(revoked.prefix).toBe(first.prefix);
    await revoke("owner", { prefix: second.prefix });

    const rows = await db().credential.findMany({ where: { id: { in: [first.id, second.id] } }, orderBy: { label: "asc" } });
    expect(rows.map((row) => [row.revokedById, row.revokedAt !== null])).toEqual([
      [people.technical.id, true],
      [people.owner.id, true],
    ]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "credential.revoked", subjectId: first.id } });
    expect(event).toMatchObject({ actorPersonId: people.technical.id, agentId, data: { prefix: first.prefix, reason: "rotated", before: { revokedAt: null } } });

    const before = await counts();
    expect(codeOf(await revoke("admin", { credentialId: first.id }).catch((e: unknown) => e))).toBe("conflict");
    expect(await counts()).toEqual(before);
  });

  it("does not find another agent's key through this agent", async () => {
    const foreign = await db().$transaction((tx) => createAgentKey(tx, people.admin, actorOf("admin"), { agentId: otherAgentId, label: "theirs" }));
    const before = await counts();
    // The owner of THIS agent names the other agent's key: not found, and untouched.
    expect(codeOf(await revoke("owner", { prefix: foreign.prefix }).catch((e: unknown) => e))).toBe("not_found");
    expect(codeOf(await revoke("owner", { agentId: otherAgentId, prefix: foreign.prefix }).catch((e: unknown) => e))).toBe("forbidden");
    expect(await counts()).toEqual(before);
  });

  it("revokes every unrevoked key at once with one audit row naming the prefixes, and writes nothing when none is left", async () => {
    await revokeAll("admin");
    const keys = [await create("owner", { label: "a" }), await create("owner", { label: "b" })];
    const result = await revokeAll("owner", "leaked in a log");
    expect(result.prefixes.sort()).toEqual(keys.map((key) => key.prefix).sort());
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "credential.revoked_all", agentId }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ actorPersonId: people.owner.id, data: { count: 2, reason: "leaked in a log" } });
    expect(((event.data as { prefixes: string[] }).prefixes ?? []).sort()).toEqual(result.prefixes.sort());
    expect(JSON.stringify(event.data)).not.toContain(parseAgentKey(keys[0]!.key)!.secret);

    const before = await counts();
    expect((await revokeAll("owner")).prefixes).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a malformed revocation and writes nothing", async () => {
    const before = await counts();
    for (const input of [{}, { credentialId: "nope" }, { prefix: "short" }, { prefix: "abcdefabcdef", reason: "r".repeat(501) }]) {
      expect(codeOf(await revoke("admin", input).catch((e: unknown) => e))).toBe("validation_failed");
    }
    expect(await counts()).toEqual(before);
  });
});
