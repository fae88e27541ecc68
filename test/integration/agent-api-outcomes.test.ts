// POST /api/v1/decisions/:id/outcome through real HTTP on a real PostgreSQL: recorded once, only
// by the agent that asked, refused (and audited as an anomaly) for a decision that never allowed
// the action, and every malformed body refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { db } from "@/lib/db/client";
import { auditOf, call, makeAgent, makeDecision, makePendingCheckpoint, makePerson, personActor, startInstance, type Instance, type TestAgent } from "./agent-api-fixtures";

let api: Instance;
let agent: TestAgent;
let other: TestAgent;
let approver: Awaited<ReturnType<typeof makePerson>>;

beforeAll(async () => {
  api = await startInstance();
  const deployer = await makePerson([]);
  approver = await makePerson(["approver"]);
  agent = await makeAgent({ deployedById: deployer.id });
  other = await makeAgent({ deployedById: deployer.id });
});

afterAll(async () => {
  await api.close();
});

const report = (key: string, decisionId: string, body: unknown) => call(api, key, "POST", `/decisions/${decisionId}/outcome`, body);
const outcomeOf = (id: string) => db().decision.findUniqueOrThrow({ where: { id }, select: { outcomeStatus: true, outcomeSummary: true, outcomeData: true, outcomeAt: true } });

describe("POST /decisions/:id/outcome", () => {
  it("records the outcome of an allowed decision once, with its audit row", async () => {
    const { id } = await makeDecision(agent.id, "allow");
    const answer = await report(agent.key, id, { status: "succeeded", summary: "Updated the contact", data: { rows: 1, fields: ["email"] } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ decisionId: id, status: "succeeded", recordedAt: expect.any(String) });
    expect(await outcomeOf(id)).toEqual({ outcomeStatus: "succeeded", outcomeSummary: "Updated the contact", outcomeData: { rows: 1, fields: ["email"] }, outcomeAt: new Date(answer.body.recordedAt as string) });
    const [audit] = await auditOf("decision.outcome", id);
    expect(audit).toMatchObject({ actorType: "agent", actorAgentId: agent.id, agentId: agent.id, subjectType: "decision" });
    expect(audit!.data).toMatchObject({ after: { status: "succeeded", summary: "Updated the contact", data: { rows: 1 } } });

    const again = await report(agent.key, id, { status: "failed" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "conflict" });
    expect((await outcomeOf(id)).outcomeStatus).toBe("succeeded");
    expect(await auditOf("decision.outcome", id)).toHaveLength(1);
  });

  it("records one of two concurrent reports and refuses the other", async () => {
    const { id } = await makeDecision(agent.id, "allow");
    const answers = await Promise.all([report(agent.key, id, { status: "succeeded" }), report(agent.key, id, { status: "skipped" })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await auditOf("decision.outcome", id)).toHaveLength(1);
  });

  it("answers 404 alike for another agent's decision, an unknown id and a malformed one", async () => {
    const { id } = await makeDecision(agent.id, "allow");
    for (const [key, decisionId] of [[other.key, id], [agent.key, randomUUID()], [agent.key, "42"]] as const) {
      const answer = await report(key, decisionId, { status: "succeeded" });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: "not_found", detail: "No such decision." });
    }
    expect((await outcomeOf(id)).outcomeStatus).toBeNull();
    expect(await db().auditEvent.count({ where: { subjectId: id, type: { startsWith: "decision.outcome" } } })).toBe(0);
  });

  it("refuses a report on a denied decision with 409 and audits the anomaly", async () => {
    const { id } = await makeDecision(agent.id, "deny");
    const answer = await report(agent.key, id, { status: "succeeded", summary: "Did it anyway" });
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toMatch(/anomaly/);
    expect((await outcomeOf(id)).outcomeStatus).toBeNull();
    const [anomaly] = await auditOf("decision.outcome_anomaly", id);
    expect(anomaly).toMatchObject({ actorType: "agent", actorAgentId: agent.id, agentId: agent.id });
    expect(anomaly!.data).toMatchObject({ effect: "deny", reported: { status: "succeeded", summary: "Did it anyway" } });
  });

  it.each([
    ["still pending", async () => {}],
    ["denied", async (checkpointId: string) => void (await decideCheckpoint(approver, personActor(approver), { checkpointId, verdict: "deny" }))],
    ["expired", async (checkpointId: string) => void (await db().checkpoint.update({ where: { id: checkpointId }, data: { status: "expired" } }))],
  ])("refuses a report on a decision whose checkpoint is %s, as an anomaly", async (_label, settle) => {
    const { decisionId, checkpointId } = await makePendingCheckpoint(agent.id);
    await settle(checkpointId);
    const answer = await report(agent.key, decisionId, { status: "succeeded" });
    expect(answer.status).toBe(409);
    expect((await outcomeOf(decisionId)).outcomeStatus).toBeNull();
    expect(await auditOf("decision.outcome_anomaly", decisionId)).toHaveLength(1);
  });

  it("records the outcome of an approved checkpoint's decision and consumes the approval", async () => {
    const { decisionId, checkpointId } = await makePendingCheckpoint(agent.id);
    await decideCheckpoint(approver, personActor(approver), { checkpointId, verdict: "approve" });
    const answer = await report(agent.key, decisionId, { status: "failed", summary: "The CRM timed out" });
    expect(answer.status).toBe(200);
    expect((await outcomeOf(decisionId)).outcomeStatus).toBe("failed");
    expect((await db().checkpoint.findUniqueOrThrow({ where: { id: checkpointId } })).consumedAt).toBeInstanceOf(Date);
  });

  const deep = (levels: number): Record<string, unknown> => (levels <= 1 ? { leaf: true } : { next: deep(levels - 1) });

  it.each([
    ["an unknown status", { status: "done" }, "status"],
    ["no status", { summary: "x" }, "status"],
    ["a summary over 2000 characters", { status: "succeeded", summary: "x".repeat(2001) }, "summary"],
    ["data that is an array", { status: "succeeded", data: [1, 2] }, "data"],
    ["data nested 9 levels deep", { status: "succeeded", data: deep(9) }, "data"],
    ["data over 16 KiB", { status: "succeeded", data: { blob: "x".repeat(16 * 1024) } }, "data"],
  ])("refuses %s with 400 and records nothing", async (_label, body, path) => {
    const { id } = await makeDecision(agent.id, "allow");
    const answer = await report(agent.key, id, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "validation_failed", errors: [expect.objectContaining({ path })] });
    expect((await outcomeOf(id)).outcomeStatus).toBeNull();
  });

  it("accepts data nested exactly 8 levels deep", async () => {
    const { id } = await makeDecision(agent.id, "allow");
    expect((await report(agent.key, id, { status: "skipped", data: deep(8) })).status).toBe(200);
  });

  it("refuses malformed JSON with 400 and a missing key with 401", async () => {
    const { id } = await makeDecision(agent.id, "allow");
    expect((await report(agent.key, id, "{nope")).body).toMatchObject({ status: 400, code: "invalid_json" });
    expect((await call(api, null, "POST", `/decisions/${id}/outcome`, { status: "succeeded" })).status).toBe(401);
    expect((await outcomeOf(id)).outcomeStatus).toBeNull();
  });
});
