// The console's use cases as a person with a lesser role, or with someone else's ids, would try
// them: every refusal is checked at the use case (the wrapper is not the only line), and reading a
// checkpoint's exact parameters always leaves an audit row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAgentBySlug } from "@/lib/agents/get-agent-by-slug";
import { listAgents } from "@/lib/agents/list-agents";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { extendCheckpoint } from "@/lib/approvals/extend-checkpoint";
import { getCheckpointDetail } from "@/lib/approvals/get-checkpoint-detail";
import type { AppError } from "@/lib/http/errors";
import { db } from "@/lib/db/client";
import { closeNotify } from "@/lib/db/notify";
import { getWebhookWithLog } from "@/lib/webhooks/list-webhooks";
import { makeCheckpoint, makePolicy } from "./approvals-fixtures";
import { makeAgent, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";

let agent: TestAgent;
let approver: Awaited<ReturnType<typeof makePerson>>;
let auditor: Awaited<ReturnType<typeof makePerson>>;

beforeAll(async () => {
  const owner = await makePerson([]);
  approver = await makePerson(["approver"]);
  auditor = await makePerson(["auditor"]);
  agent = await makeAgent({ deployedById: owner.id });
});

afterAll(async () => {
  await closeNotify();
});

const viewsOf = (checkpointId: string) => db().auditEvent.findMany({ where: { type: "checkpoint.viewed", subjectId: checkpointId }, orderBy: { id: "asc" } });

describe("a checkpoint's parameters are never read without an audit row", () => {
  it("records the first read of each person even when the caller leaves out `opened`, and not the refreshes after it", async () => {
    const { checkpointId } = await makeCheckpoint(agent.id, { params: { amount: 9_999, iban: "DE02 1203 0000 0000 2020 51" } });
    // What the inbox's background refresh asks for: the browser decides whether it sends opened=1.
    const first = await getCheckpointDetail(auditor, personActor(auditor), checkpointId, { opened: "first" });
    expect(first.params).toEqual({ amount: 9_999, iban: "DE02 1203 0000 0000 2020 51" });
    await getCheckpointDetail(auditor, personActor(auditor), checkpointId, { opened: "first" });
    expect((await viewsOf(checkpointId)).map((row) => row.actorPersonId)).toEqual([auditor.id]);

    // Someone else's first read is theirs to answer for.
    await getCheckpointDetail(approver, personActor(approver), checkpointId, { opened: "first" });
    expect((await viewsOf(checkpointId)).map((row) => row.actorPersonId)).toEqual([auditor.id, approver.id]);

    // An explicit opening is still recorded each time.
    await getCheckpointDetail(approver, personActor(approver), checkpointId, { opened: true });
    expect(await viewsOf(checkpointId)).toHaveLength(3);
    await getCheckpointDetail(approver, personActor(approver), checkpointId, { opened: "first" });
    expect(await viewsOf(checkpointId)).toHaveLength(3);
  });
});

describe("a crafted console URL is a not-found or an ignored filter, never a 500", () => {
  it("reads /agents?q=…%00…, /agents/…%00… and /settings/webhooks/<not a uuid> without a database error", async () => {
    const admin = await makePerson(["admin"]);
    await expect(listAgents({ q: "refund\u0000" })).resolves.toMatchObject({ filters: { q: undefined } });
    await expect(getAgentBySlug("support\u0000")).resolves.toBeNull();
    await expect(getAgentBySlug(agent.slug)).resolves.toMatchObject({ id: agent.id });
    await expect(getWebhookWithLog(admin, "-".repeat(36))).resolves.toBeNull();
    await expect(getWebhookWithLog(admin, "ffffffff-ffff-ffff-ffff-fffffffffffg")).resolves.toBeNull();
  });
});

describe("separation of duties reaches up the delegation chain", () => {
  it("keeps an approver from deciding or extending what another agent asks on behalf of the approver's own agent", async () => {
    // P approves for a living and owns agent A; A delegated to B (owned by someone else), and B now
    // asks, under that delegation, for something that needs approval.
    const p = await makePerson(["approver"]);
    const other = await makePerson(["approver"]);
    const stranger = await makePerson([]);
    const a = await makeAgent({ deployedById: stranger.id, ownerIds: [p.id] });
    const b = await makeAgent({ deployedById: stranger.id });
    const policy = await makePolicy({ maxExtendSeconds: 600 });
    const chain = [
      { agentId: a.id, agentSlug: a.slug, delegationId: null },
      { agentId: b.id, agentSlug: b.slug, delegationId: "5b7e1c1e-4a43-4c7e-9a55-3f0f1f3b6d21" },
    ];
    const { checkpointId } = await makeCheckpoint(b.id, { delegationChain: chain, policyId: policy.id });

    const detail = await getCheckpointDetail(p, personActor(p), checkpointId);
    expect(detail.viewer).toMatchObject({ canDecide: false, canExtendBy: 0 });
    expect(detail.viewer.cannotDecide).toMatch(/separation of duties/);

    const vote = await decideCheckpoint(p, personActor(p), { checkpointId, verdict: "approve" }).catch((error: unknown) => error);
    expect((vote as AppError).code).toBe("forbidden");
    const extension = await extendCheckpoint(p, personActor(p), { checkpointId, seconds: 120 }).catch((error: unknown) => error);
    expect((extension as AppError).code).toBe("forbidden");
    expect(await db().approval.count({ where: { checkpointId } })).toBe(0);

    // Someone with no stake in the chain still decides it.
    await expect(decideCheckpoint(other, personActor(other), { checkpointId, verdict: "approve" })).resolves.toMatchObject({ status: "approved" });
  });
});
