// POST /api/v1/delegations through real HTTP, and the chain resolver POST /decisions uses, on a
// real PostgreSQL: a token that works for its delegate only, stored hashed; every refusal; a
// child narrower than its parent and never deeper than four; expired and revoked chains; and
// the engine judging every delegator on its own list.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { generateDelegationToken } from "@/lib/delegations/delegation-token";
import { resolveDelegationChain } from "@/lib/delegations/resolve-delegation-chain";
import { evaluate } from "@/lib/permissions/evaluate";
import { loadEngineInput } from "@/lib/permissions/load-engine-input";
import { call, makeAgent, makeCatalog, makePerson, startInstance, type Instance, type TestAgent } from "./agent-api-fixtures";

let api: Instance;
let catalog: Awaited<ReturnType<typeof makeCatalog>>;
let deployerId: string;
let a: TestAgent;
let b: TestAgent;

/** An active agent whose list allows read and update, and says never to delete. */
const makeWorker = (status: "active" | "suspended" = "active") =>
  makeAgent({
    deployedById: deployerId,
    status,
    lines: [
      { actionId: catalog.read.id, effect: "allow" },
      { actionId: catalog.update.id, effect: "require_approval" },
      { actionId: catalog.remove.id, effect: "deny" },
    ],
  });

beforeAll(async () => {
  api = await startInstance();
  catalog = await makeCatalog();
  deployerId = (await makePerson([])).id;
  [a, b] = [await makeWorker(), await makeWorker()];
});

afterAll(async () => {
  await api.close();
});

const delegate = (from: TestAgent, body: Record<string, unknown>) =>
  call(api, from.key, "POST", "/delegations", { ttlSeconds: 600, reasoning: { instruction: "Help with ticket 4711" }, ...body });

async function created(from: TestAgent, to: TestAgent, actions: string[], extra: Record<string, unknown> = {}) {
  const answer = await delegate(from, { toAgent: to.slug, actions, ...extra });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { delegationId: string; token: string; expiresAt: string; depth: number };
}

describe("POST /delegations", () => {
  it("creates a delegation whose token works for the delegate only, stored only as its hash", async () => {
    const started = Date.now();
    const answer = await delegate(a, { toAgent: b.slug, actions: [catalog.read.key, catalog.read.key] });
    expect(answer.status).toBe(201);
    const body = answer.body as { delegationId: string; token: string; expiresAt: string };
    expect(body).toMatchObject({ token: expect.stringMatching(/^mdl_[A-Za-z0-9_-]{43}$/), toAgentId: b.id, actions: [catalog.read.key], depth: 1 });
    expect(Date.parse(body.expiresAt) - started).toBeGreaterThan(599_000);
    expect(Date.parse(body.expiresAt) - started).toBeLessThan(605_000);

    const row = await db().delegation.findUniqueOrThrow({ where: { id: body.delegationId }, omit: { tokenHash: false } });
    expect(row).toMatchObject({ fromAgentId: a.id, toAgentId: b.id, actions: [catalog.read.key], depth: 1, parentDelegationId: null, reasoning: { instruction: "Help with ticket 4711" } });
    expect(row.tokenHash).toBe(createHash("sha256").update(body.token).digest("hex"));
    // The token itself is nowhere in the database: not in the row, not in the audit.
    const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "delegation.created", subjectId: body.delegationId } });
    expect(audit).toMatchObject({ actorType: "agent", actorAgentId: a.id, agentId: a.id });
    expect(JSON.stringify([row, audit], (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value))).not.toContain(body.token.slice(4));

    const resolved = await resolveDelegationChain(body.token, b.id, new Date(), catalog.read.key);
    expect(resolved).toMatchObject({ ok: true, delegationId: body.delegationId, depth: 1 });
    if (!resolved.ok) throw new Error("unreachable");
    expect(resolved.chain).toEqual([
      { agentId: a.id, agentSlug: a.slug, delegationId: null },
      { agentId: b.id, agentSlug: b.slug, delegationId: body.delegationId },
    ]);
    expect(resolved.hops).toHaveLength(1);
    expect(resolved.hops[0]!.from.agent).toMatchObject({ id: a.id, status: "active" });
    expect(resolved.hops[0]!.from.lines.map((line) => line.effect)).toEqual(["allow"]);
    expect(resolved.delegators).toEqual([{ agentId: a.id, stateVersion: 1 }]);

    // Someone else presenting the token, or a made-up token, learns nothing more than "broken".
    const c = await makeWorker();
    expect(await resolveDelegationChain(body.token, c.id, new Date(), catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_broken" });
    expect(await resolveDelegationChain(`mdl_${"A".repeat(43)}`, b.id, new Date(), catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_broken" });
    expect(await resolveDelegationChain("garbage", b.id, new Date(), catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_broken" });
  });

  it("accepts the delegate by id as well as by slug", async () => {
    expect((await delegate(a, { toAgent: b.id, actions: [catalog.read.key] })).status).toBe(201);
  });

  it("denies an expired or a revoked delegation", async () => {
    const expiring = await created(a, b, [catalog.read.key]);
    const later = new Date(Date.parse(expiring.expiresAt) + 1);
    expect(await resolveDelegationChain(expiring.token, b.id, later, catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_expired", delegationId: expiring.delegationId });

    const revoked = await created(a, b, [catalog.read.key]);
    await db().delegation.update({ where: { id: revoked.delegationId }, data: { revokedAt: new Date() } });
    expect(await resolveDelegationChain(revoked.token, b.id, new Date(), catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_revoked" });
  });

  it("lets the engine judge the delegator on its own list at decision time", async () => {
    const grant = await created(a, b, [catalog.read.key, catalog.update.key]);
    const judge = async (action: string) => {
      const resolved = await resolveDelegationChain(grant.token, b.id, new Date(), action);
      if (!resolved.ok) throw new Error(resolved.reason);
      const input = await loadEngineInput(db(), b.id, { action }, new Date());
      return evaluate({ ...input!, delegation: { hops: resolved.hops } });
    };
    expect(await judge(catalog.read.key)).toMatchObject({ effect: "allow" });
    expect(await judge(catalog.update.key)).toMatchObject({ effect: "require_approval" });
    expect(await judge(catalog.remove.key)).toMatchObject({ effect: "deny", reason: "delegation_scope" });
    // A takes read off its own list: what B does for A is denied from then on.
    await db().permission.deleteMany({ where: { agentId: a.id, actionId: catalog.read.id } });
    try {
      expect(await judge(catalog.read.key)).toMatchObject({ effect: "deny", reason: "delegator_denied" });
    } finally {
      await db().permission.create({ data: { agentId: a.id, actionId: catalog.read.id, effect: "allow", justification: "test" } });
    }
  });

  it.each([
    ["to itself", () => ({ toAgent: a.slug, actions: [catalog.read.key] }), 422, "toAgent"],
    ["to an unknown agent", () => ({ toAgent: "nobody-here", actions: [catalog.read.key] }), 422, "toAgent"],
    ["an action not in the catalog", () => ({ toAgent: b.slug, actions: [catalog.read.key, "crm.contact.merge"] }), 422, "actions.1"],
    ["an action the list says never to", () => ({ toAgent: b.slug, actions: [catalog.remove.key] }), 403, "actions.0"],
    ["no actions", () => ({ toAgent: b.slug, actions: [] }), 400, "actions"],
    ["51 actions", () => ({ toAgent: b.slug, actions: Array.from({ length: 51 }, (_, i) => `x.y.${i}`) }), 400, "actions"],
    ["a ttl under a minute", () => ({ toAgent: b.slug, actions: [catalog.read.key], ttlSeconds: 59 }), 400, "ttlSeconds"],
    ["a ttl over a day", () => ({ toAgent: b.slug, actions: [catalog.read.key], ttlSeconds: 86_401 }), 400, "ttlSeconds"],
    ["no reasoning", () => ({ toAgent: b.slug, actions: [catalog.read.key], reasoning: undefined }), 400, "reasoning"],
    ["a malformed parent token", () => ({ toAgent: b.slug, actions: [catalog.read.key], parentToken: "mdl_short" }), 400, "parentToken"],
  ])("refuses a delegation %s", async (_label, body, status, path) => {
    const before = await db().delegation.count();
    const answer = await delegate(a, body());
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ path })]) });
    expect(await db().delegation.count()).toBe(before);
  });

  it("refuses an action that is not on the delegator's own list", async () => {
    const narrow = await makeAgent({ deployedById: deployerId, lines: [{ actionId: catalog.read.id, effect: "allow" }] });
    const answer = await delegate(narrow, { toAgent: b.slug, actions: [catalog.update.key] });
    expect(answer).toMatchObject({ status: 403, body: { code: "forbidden" } });
  });

  it("refuses an inactive delegate (409) and an inactive delegator (403)", async () => {
    const suspended = await makeWorker("suspended");
    expect((await delegate(a, { toAgent: suspended.slug, actions: [catalog.read.key] })).status).toBe(409);
    expect((await delegate(suspended, { toAgent: a.slug, actions: [catalog.read.key] })).status).toBe(403);
  });
});

describe("delegating under a delegation (parentToken)", () => {
  it("passes on a subset, one level deeper, never outliving the parent", async () => {
    const c = await makeWorker();
    const parent = await created(a, b, [catalog.read.key, catalog.update.key], { ttlSeconds: 120 });
    const child = await created(b, c, [catalog.read.key], { parentToken: parent.token, ttlSeconds: 3_600 });
    expect(child.depth).toBe(2);
    expect(child.expiresAt).toBe(parent.expiresAt);
    expect(await db().delegation.findUniqueOrThrow({ where: { id: child.delegationId }, select: { parentDelegationId: true } })).toEqual({ parentDelegationId: parent.delegationId });

    const resolved = await resolveDelegationChain(child.token, c.id, new Date(), catalog.read.key);
    if (!resolved.ok) throw new Error(resolved.reason);
    expect(resolved.chain.map((link) => [link.agentId, link.delegationId])).toEqual([
      [a.id, null],
      [b.id, parent.delegationId],
      [c.id, child.delegationId],
    ]);
    expect(resolved.hops.map((hop) => hop.delegation.id)).toEqual([parent.delegationId, child.delegationId]);

    // Revoking the parent ends the child too.
    await db().delegation.update({ where: { id: parent.delegationId }, data: { revokedAt: new Date() } });
    expect(await resolveDelegationChain(child.token, c.id, new Date(), catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_revoked", delegationId: parent.delegationId });
  });

  it("refuses actions outside the parent delegation, and a parent token that is not the caller's", async () => {
    const c = await makeWorker();
    const parent = await created(a, b, [catalog.read.key]);
    const wider = await delegate(b, { toAgent: c.slug, actions: [catalog.read.key, catalog.update.key], parentToken: parent.token });
    expect(wider).toMatchObject({ status: 403, body: { errors: [expect.objectContaining({ path: "actions.1" })] } });
    const stolen = await delegate(c, { toAgent: a.slug, actions: [catalog.read.key], parentToken: parent.token });
    expect(stolen).toMatchObject({ status: 403, body: { errors: [expect.objectContaining({ path: "parentToken", message: "delegation_broken" })] } });
  });

  it("refuses a chain that would pass through an agent twice (decisions would refuse it as broken)", async () => {
    const c = await makeWorker();
    const parent = await created(a, b, [catalog.read.key]);
    const back = await delegate(b, { toAgent: a.slug, actions: [catalog.read.key], parentToken: parent.token });
    expect(back).toMatchObject({ status: 422, body: { errors: [expect.objectContaining({ path: "toAgent" })] } });
    const child = await created(b, c, [catalog.read.key], { parentToken: parent.token });
    const loop = await delegate(c, { toAgent: b.slug, actions: [catalog.read.key], parentToken: child.token });
    expect(loop).toMatchObject({ status: 422, body: { errors: [expect.objectContaining({ path: "toAgent" })] } });
    expect(await db().delegation.count({ where: { parentDelegationId: child.delegationId } })).toBe(0);
  });

  it("allows a chain four deep and refuses a fifth level", async () => {
    const agents = [a, b, ...(await Promise.all([makeWorker(), makeWorker(), makeWorker(), makeWorker()]))];
    let token: string | undefined;
    for (let depth = 1; depth <= 4; depth += 1) {
      const grant = await created(agents[depth - 1]!, agents[depth]!, [catalog.read.key], token ? { parentToken: token } : {});
      expect(grant.depth).toBe(depth);
      token = grant.token;
    }
    const resolved = await resolveDelegationChain(token!, agents[4]!.id, new Date(), catalog.read.key);
    expect(resolved).toMatchObject({ ok: true, depth: 4 });
    const fifth = await delegate(agents[4]!, { toAgent: agents[5]!.slug, actions: [catalog.read.key], parentToken: token });
    expect(fifth).toMatchObject({ status: 422, body: { errors: [expect.objectContaining({ path: "parentToken" })] } });

    // A fifth level written around the API (say, by an older version) is still refused when used.
    const leaf = await db().delegation.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(token!).digest("hex") }, select: { id: true } });
    const { token: deepToken, tokenHash } = generateDelegationToken();
    await db().delegation.create({
      data: { fromAgentId: agents[4]!.id, toAgentId: agents[5]!.id, parentDelegationId: leaf.id, actions: [catalog.read.key], depth: 5, tokenHash, expiresAt: new Date(Date.now() + 60_000) },
    });
    expect(await resolveDelegationChain(deepToken, agents[5]!.id, new Date(), catalog.read.key)).toMatchObject({ ok: false, reason: "delegation_depth" });
  });
});
