// The inbox's reads against a real PostgreSQL: order, filters, keyset pages, what each row says
// (agent, owners, risk, policy, separation of duties), the change marker the live view polls, the
// checkpoint detail with its audited opening, and 10,000 pending checkpoints staying fast.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { extendCheckpoint } from "@/lib/approvals/extend-checkpoint";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { getCheckpointDetail } from "@/lib/approvals/get-checkpoint-detail";
import { inboxFiltersSchema } from "@/lib/approvals/inbox-filters";
import { inboxVersion } from "@/lib/approvals/inbox-version";
import { INBOX_PAGE_SIZE, listInbox } from "@/lib/approvals/list-inbox";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { AppError } from "@/lib/http/errors";
import { makeAgent, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";
import { makeCheckpoint, makePolicy, makeSystem } from "./approvals-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;

let owner: Person;
let approver: Person;
let second: Person;
let auditor: Person;
let refunds: TestAgent;
let docs: TestAgent;
let system: Awaited<ReturnType<typeof makeSystem>>;

const filters = (raw: Record<string, string> = {}) => inboxFiltersSchema.parse(raw);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  owner = await makePerson(["approver"], "Olive Owner");
  approver = await makePerson(["approver"], "Ana Approver");
  second = await makePerson(["approver"], "Ben Approver");
  auditor = await makePerson(["auditor"], "Aud Itor");
  refunds = await makeAgent({ deployedById: owner.id, ownerIds: [owner.id] });
  docs = await makeAgent({ deployedById: owner.id, ownerIds: [owner.id], maturity: "junior" });
  system = await makeSystem([
    { verb: "refund.issue", category: "financial", risk: "critical" },
    { verb: "doc.edit", category: "write", risk: "low" },
  ]);
});

describe("listInbox", () => {
  it("lists live pending checkpoints, soonest expiry first, with what an approver needs on each row", async () => {
    const policy = await makePolicy({ requiredApprovals: 2 });
    const later = await makeCheckpoint(refunds.id, { action: system.actions["refund.issue"], expiresInMs: 600_000, policyId: policy.id, requiredApprovals: 2 });
    const sooner = await makeCheckpoint(docs.id, { action: system.actions["doc.edit"], expiresInMs: 60_000 });
    const overdue = await makeCheckpoint(docs.id, { expiresInMs: -1_000 });
    const decided = await makeCheckpoint(docs.id);
    await decideCheckpoint(approver, personActor(approver), { checkpointId: decided.checkpointId, verdict: "deny" });
    await decideCheckpoint(second, personActor(second), { checkpointId: later.checkpointId, verdict: "approve" });

    const page = await listInbox(approver, filters({ system: system.key }));
    expect(page.items.map((item) => item.id)).toEqual([sooner.checkpointId, later.checkpointId]);
    const ids = (await listInbox(approver, filters())).items.map((item) => item.id);
    expect(ids).not.toContain(overdue.checkpointId);
    expect(ids).not.toContain(decided.checkpointId);

    const [first, second_] = page.items;
    expect(first).toMatchObject({ system: system.key, category: "write", risk: "low", agent: { slug: docs.slug, maturity: "junior", owners: ["Olive Owner"] } });
    expect(second_).toMatchObject({
      action: system.actions["refund.issue"],
      category: "financial",
      risk: "critical",
      resource: "accounts/42",
      onBehalfOf: "jamie.chen@example.com",
      policyName: policy.name,
      requiredApprovals: 2,
      approvals: 1,
      yours: false,
      votedByYou: false,
    });
    expect((await listInbox(second, filters({ system: system.key }))).items[1]?.votedByYou).toBe(true);
    expect((await listInbox(owner, filters({ system: system.key }))).items.every((item) => item.yours)).toBe(true);
  });

  it("marks as yours what an agent asks on behalf of your agent, as separation of duties judges it", async () => {
    const helperOwner = await makePerson(["approver"], "Hal Helper");
    const helper = await makeAgent({ deployedById: helperOwner.id, ownerIds: [helperOwner.id] });
    const chain = [
      { agentId: refunds.id, agentSlug: refunds.slug, delegationId: null },
      { agentId: helper.id, agentSlug: helper.slug, delegationId: randomUUID() },
    ];
    const { checkpointId } = await makeCheckpoint(helper.id, { action: system.actions["doc.edit"], delegationChain: chain });
    const yours = async (viewer: Person) => (await listInbox(viewer, filters({ agent: helper.slug }))).items.find((item) => item.id === checkpointId)?.yours;
    // Olive owns the delegating agent: the badge says what the vote would refuse.
    expect(await yours(owner)).toBe(true);
    expect((await getCheckpointDetail(owner, personActor(owner), checkpointId)).viewer.canDecide).toBe(false);
    expect(await yours(helperOwner)).toBe(true);
    expect(await yours(approver)).toBe(false);
  });

  it("filters by agent, system and risk, and ignores filters it does not understand", async () => {
    const critical = await makeCheckpoint(refunds.id, { action: system.actions["refund.issue"] });
    const low = await makeCheckpoint(docs.id, { action: system.actions["doc.edit"] });
    const byRisk = await listInbox(approver, filters({ system: system.key, risk: "critical" }));
    expect(byRisk.items.map((item) => item.id)).toContain(critical.checkpointId);
    expect(byRisk.items.map((item) => item.id)).not.toContain(low.checkpointId);
    expect(byRisk.total).toBe(byRisk.items.length);
    const byAgent = await listInbox(approver, filters({ agent: docs.slug }));
    expect(byAgent.items.every((item) => item.agent.slug === docs.slug)).toBe(true);
    expect(byAgent.items.map((item) => item.id)).toContain(low.checkpointId);
    expect(inboxFiltersSchema.parse({ agent: "Bad Slug!", risk: "extreme", system: "x".repeat(200), after: "garbage" })).toEqual({
      agent: undefined,
      system: undefined,
      risk: undefined,
      after: undefined,
    });
  });

  it("pages with cursors: every checkpoint exactly once, in order", async () => {
    const agent = await makeAgent({ deployedById: owner.id });
    const made = [];
    for (let i = 0; i < INBOX_PAGE_SIZE + 15; i += 1) made.push(await makeCheckpoint(agent.id, { expiresInMs: 120_000 + (i % 7) * 1_000 }));
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listInbox(approver, filters({ agent: agent.slug, ...(after ? { after } : {}) }));
      expect(page.total).toBe(made.length);
      seen.push(...page.items.map((item) => item.id));
      after = page.next ?? undefined;
      pages += 1;
    } while (after && pages < 5);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(made.length);
    expect(seen.sort()).toEqual(made.map((checkpoint) => checkpoint.checkpointId).sort());
  });
});

describe("inboxVersion", () => {
  it("changes on a new checkpoint, a vote, an extension, a decision and an expiry — and not otherwise", async () => {
    const read = async () => {
      await sleep(300);
      return inboxVersion();
    };
    const policy = await makePolicy({ maxExtendSeconds: 600, requiredApprovals: 2 });
    let version = await read();
    expect(await read()).toBe(version);

    const { checkpointId } = await makeCheckpoint(refunds.id, { policyId: policy.id, requiredApprovals: 2 });
    const steps: Array<[string, () => Promise<unknown>]> = [
      ["vote", () => decideCheckpoint(approver, personActor(approver), { checkpointId, verdict: "approve" })],
      ["extension", () => extendCheckpoint(second, personActor(second), { checkpointId, seconds: 120 })],
      ["decision", () => decideCheckpoint(second, personActor(second), { checkpointId, verdict: "approve" })],
    ];
    const afterCreate = await read();
    expect(afterCreate).not.toBe(version);
    version = afterCreate;
    for (const [, step] of steps) {
      await step();
      const next = await read();
      expect(next).not.toBe(version);
      version = next;
    }
    const overdue = await makeCheckpoint(refunds.id, { expiresInMs: -10 });
    version = await read();
    await expireCheckpoints(pool(), { ids: [overdue.checkpointId], via: "test" });
    expect(await read()).not.toBe(version);
  });
});

describe("getCheckpointDetail", () => {
  it("shows the exact parameters, reasoning, delegation chain and asking policy, and what the viewer may do", async () => {
    const policy = await makePolicy({ maxExtendSeconds: 300 });
    const chain = [
      { agentId: randomUUID(), agentSlug: "orchestrator", delegationId: null },
      { agentId: refunds.id, agentSlug: refunds.slug, delegationId: randomUUID() },
    ];
    const { checkpointId, decisionId } = await makeCheckpoint(refunds.id, {
      action: system.actions["refund.issue"],
      params: { amount: 1250.5, currency: "EUR", reason: "duplicate" },
      policyId: policy.id,
      delegationChain: chain,
    });
    const detail = await getCheckpointDetail(approver, personActor(approver), checkpointId);
    expect(detail).toMatchObject({
      id: checkpointId,
      decisionId,
      status: "pending",
      params: { amount: 1250.5, currency: "EUR", reason: "duplicate" },
      resource: "accounts/42",
      reasoning: { instruction: "Refund the double charge on ticket 4711.", chosen: "refund the difference", considered: ["refund the full amount", "refund the difference", "ask the customer"] },
      delegationChain: chain,
      action: { key: system.actions["refund.issue"], system: system.key, category: "financial", risk: "critical" },
      agent: { slug: refunds.slug, owners: ["Olive Owner"], deployedBy: "Olive Owner" },
      askedBy: { reason: "policy_checkpoint", policy: { name: policy.name, maxExtendSeconds: 300 } },
      viewer: { canDecide: true, cannotDecide: null, voted: null, canExtendBy: 300 },
    });

    const asOwner = await getCheckpointDetail(owner, personActor(owner), checkpointId);
    expect(asOwner.viewer).toMatchObject({ canDecide: false, canExtendBy: 0 });
    expect(asOwner.viewer.cannotDecide).toMatch(/separation of duties/);
    const asAuditor = await getCheckpointDetail(auditor, personActor(auditor), checkpointId);
    expect(asAuditor.viewer).toEqual({ canDecide: false, cannotDecide: null, voted: null, canExtendBy: 0 });
    expect(asAuditor.params).toEqual({ amount: 1250.5, currency: "EUR", reason: "duplicate" });
  });

  it("records an opening (view row and audit row) only when the details are opened, once per opening", async () => {
    const { checkpointId } = await makeCheckpoint(refunds.id);
    await getCheckpointDetail(auditor, personActor(auditor), checkpointId);
    expect(await db().auditEvent.count({ where: { type: "checkpoint.viewed", subjectId: checkpointId } })).toBe(0);
    await getCheckpointDetail(auditor, personActor(auditor), checkpointId, { opened: true });
    await getCheckpointDetail(approver, personActor(approver), checkpointId, { opened: true });
    await getCheckpointDetail(approver, personActor(approver), checkpointId, { opened: true });
    const audits = await db().auditEvent.findMany({ where: { type: "checkpoint.viewed", subjectId: checkpointId }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.actorPersonId)).toEqual([auditor.id, approver.id, approver.id]);
    expect(audits[0]).toMatchObject({ actorType: "person", agentId: refunds.id, subjectType: "checkpoint" });
    const view = await db().checkpointView.findUniqueOrThrow({ where: { checkpointId_personId: { checkpointId, personId: approver.id } } });
    expect(view.opens).toBe(2);
    expect(view.lastOpenedAt.getTime()).toBeGreaterThanOrEqual(view.firstOpenedAt.getTime());
  });

  it("refuses people without an approvals role and answers not found for unknown ids", async () => {
    const { checkpointId } = await makeCheckpoint(refunds.id);
    const nobody = await makePerson([]);
    const refused = await getCheckpointDetail(nobody, personActor(nobody), checkpointId, { opened: true }).catch((error: unknown) => error);
    expect((refused as AppError).code).toBe("forbidden");
    expect(await db().auditEvent.count({ where: { type: "checkpoint.viewed", subjectId: checkpointId } })).toBe(0);
    for (const id of [randomUUID(), "not-a-uuid"]) {
      const missing = await getCheckpointDetail(approver, personActor(approver), id).catch((error: unknown) => error);
      expect((missing as AppError).code).toBe("not_found");
    }
  });
});

describe("10,000 pending checkpoints", () => {
  it("keeps the first page, a filtered page, a deep page and the change marker fast", async () => {
    const agent = await makeAgent({ deployedById: owner.id });
    const action = system.actions["refund.issue"]!;
    // One statement, as 10,000 agents' requests would have left them.
    await pool().query(
      `WITH d AS (
         INSERT INTO decision (id, agent_id, action, resource, params, instruction, effect, reason)
         SELECT gen_random_uuid(), $1, CASE WHEN i % 3 = 0 THEN $2 ELSE 'other.thing.do' END, 'accounts/' || i, jsonb_build_object('amount', i),
           'Bulk instruction ' || i, 'pending', 'requires_approval'
         FROM generate_series(1, 10000) AS i
         RETURNING id, resource
       )
       INSERT INTO checkpoint (decision_id, agent_id, digest, expires_at)
       SELECT id, $1, 'd', now() + (split_part(resource, '/', 2)::int % 997 + 60) * interval '1 second' FROM d`,
      [agent.id, action],
    );
    await pool().query("ANALYZE checkpoint; ANALYZE decision");
    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    await listInbox(approver, filters()); // warm the connections
    const first = await time(() => listInbox(approver, filters({ agent: agent.slug })));
    const risky = await time(() => listInbox(approver, filters({ agent: agent.slug, risk: "critical" })));
    let deep = 0;
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const started = performance.now();
      const result: Awaited<ReturnType<typeof listInbox>> = await listInbox(approver, filters({ agent: agent.slug, ...(after ? { after } : {}) }));
      deep = performance.now() - started;
      expect(result.total).toBe(10_000);
      after = result.next;
    }
    await sleep(300);
    const version = await time(() => inboxVersion());
    // Generous bounds for a shared 2-core machine; typical figures are a few ms each.
    expect(first).toBeLessThan(500);
    expect(risky).toBeLessThan(500);
    expect(deep).toBeLessThan(500);
    expect(version).toBeLessThan(200);
  });
});
