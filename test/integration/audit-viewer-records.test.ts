// The pages behind a row of the viewer, on the demo organisation's week of history: the decision
// record (reasoning, rule, checkpoint and votes, outcome, chain, its audit events), the trace
// tree, a single event with its change, the "Verify chain" check — and who may see them.
import { beforeAll, describe, expect, it } from "vitest";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";
import { exportAuditEvents } from "@/lib/audit/export-audit";
import { getAuditEvent } from "@/lib/audit/get-audit-event";
import { getDecisionRecord } from "@/lib/audit/get-decision-record";
import { getTrace, type TraceNode } from "@/lib/audit/get-trace";
import { recordAudit } from "@/lib/audit/record";
import { sealEvents } from "@/lib/audit/seal-events";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { seedDemo } from "@/lib/demo/seed-demo";
import { AppError } from "@/lib/http/errors";
import { can } from "@/lib/people/capabilities";
import { reasonText } from "@/lib/permissions/reasons";
import { actorOf, makePerson } from "./admin-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;
let auditor: Person;
let admin: Person;
let approver: Person;
let member: Person;

beforeAll(async () => {
  await seedDemo(db());
  [auditor, admin, approver, member] = await Promise.all([makePerson(["auditor"]), makePerson(["admin"]), makePerson(["approver"]), makePerson([])]);
}, 60_000);

describe("the decision record", () => {
  it("has the reasoning, the parameters, the line that decided, and the decision's events", async () => {
    const decision = await db().decision.findFirstOrThrow({
      where: { reason: "allowed_by_list", ruleId: { not: null }, outcomeStatus: { not: null } },
      include: { agent: true },
    });
    const record = (await getDecisionRecord(auditor, decision.id))!;
    expect(record).toMatchObject({
      id: decision.id,
      instruction: decision.instruction,
      considered: decision.considered,
      chosen: decision.chosen,
      rationale: decision.rationale,
      params: decision.params,
      effect: "allow",
      reason: { code: "allowed_by_list", text: reasonText("allowed_by_list") },
      agent: { slug: decision.agent.slug },
      outcome: { status: decision.outcomeStatus, summary: decision.outcomeSummary },
    });
    const line = await db().permission.findUniqueOrThrow({ where: { id: decision.ruleId! }, include: { action: true } });
    expect(record.rule).toMatchObject({ kind: "line", id: line.id, action: line.action.key, effect: line.effect, justification: line.justification });
    expect(record.events.map((event) => event.type)).toEqual(expect.arrayContaining(["decision.made", "decision.outcome"]));
    expect(record.events.every((event) => event.subjectId === decision.id)).toBe(true);
  });

  it("has the checkpoint with every vote, who cast it, when and with what note", async () => {
    const checkpoint = await db().checkpoint.findFirstOrThrow({ where: { approvals: { some: {} } }, include: { approvals: { include: { person: true } } } });
    const record = (await getDecisionRecord(auditor, checkpoint.decisionId))!;
    expect(record.checkpoint).toMatchObject({ id: checkpoint.id, status: checkpoint.status, requiredApprovals: checkpoint.requiredApprovals, note: checkpoint.note });
    expect(record.checkpoint!.approvals.map((a) => [a.person.email, a.verdict, a.note]).sort()).toEqual(
      checkpoint.approvals.map((a) => [a.person.email, a.verdict, a.note]).sort(),
    );
    expect(record.events.some((event) => event.subjectId === checkpoint.id)).toBe(true);
  });

  it("names a global policy when one decided, and the parent and the delegation chain of a hop", async () => {
    // The demo's checkpoints all come from written-list lines; make one a policy asked for.
    const policy = await db().globalPolicy.findFirstOrThrow();
    const asked = await db().decision.findFirstOrThrow({ where: { reason: "requires_approval" } });
    await db().decision.update({ where: { id: asked.id }, data: { reason: "policy_checkpoint", ruleId: policy.id } });
    expect((await getDecisionRecord(auditor, asked.id))!.rule).toMatchObject({ kind: "policy", id: policy.id, name: policy.name });
    await db().decision.update({ where: { id: asked.id }, data: { ruleId: "since-deleted-rule" } });
    expect((await getDecisionRecord(auditor, asked.id))!.rule).toEqual({ kind: "gone", id: "since-deleted-rule" });
    const hop = await db().decision.findFirstOrThrow({ where: { parentDecisionId: { not: null } }, include: { parentDecision: { include: { agent: true } } } });
    const record = (await getDecisionRecord(auditor, hop.id))!;
    expect(record.parent).toMatchObject({ id: hop.parentDecisionId, agentSlug: hop.parentDecision!.agent.slug });
    const parentRecord = (await getDecisionRecord(auditor, hop.parentDecisionId!))!;
    expect(parentRecord.children.map((child) => child.id)).toContain(hop.id);
  });

  it("is not found for an unknown or malformed id", async () => {
    expect(await getDecisionRecord(auditor, "00000000-0000-7000-8000-000000000000")).toBeNull();
    expect(await getDecisionRecord(auditor, "not-a-uuid")).toBeNull();
  });
});

describe("the trace view", () => {
  it("draws every decision of the trace once, each under the decision it was made for", async () => {
    const hop = await db().decision.findFirstOrThrow({ where: { parentDecisionId: { not: null }, traceId: { not: null } } });
    const rows = await db().decision.findMany({ where: { traceId: hop.traceId } });
    const trace = (await getTrace(auditor, hop.traceId!))!;
    const seen: Array<{ node: TraceNode; parent: TraceNode | null }> = [];
    const visit = (node: TraceNode, parent: TraceNode | null) => {
      seen.push({ node, parent });
      node.children.forEach((child) => visit(child, node));
    };
    trace.roots.forEach((root) => visit(root, null));
    expect(trace.decisions).toBe(rows.length);
    expect(seen.map((s) => s.node.id).sort()).toEqual(rows.map((row) => row.id).sort());
    for (const { node, parent } of seen) {
      const row = rows.find((r) => r.id === node.id)!;
      if (parent) expect(row.parentDecisionId).toBe(parent.id);
      else expect(rows.some((r) => r.id === row.parentDecisionId && r.createdAt <= row.createdAt)).toBe(false);
      expect(node.effect).toBe(row.effect);
    }
    expect(seen.some((s) => s.parent !== null)).toBe(true);
    expect(await getTrace(auditor, "no-such-trace")).toBeNull();
  });
});

describe("a single event", () => {
  it("shows who, the change as before → after, and whether it is sealed", async () => {
    await recordAudit(db(), actorOf(admin), { type: "agent.updated", data: { before: { purpose: "old", name: "A" }, after: { purpose: "new", name: "A" } } });
    const { rows } = await pool().query<{ id: string }>("SELECT id::text FROM audit_event WHERE type = 'agent.updated' ORDER BY id DESC LIMIT 1");
    const event = (await getAuditEvent(auditor, rows[0]!.id))!;
    expect(event).toMatchObject({ type: "agent.updated", actorType: "person", actorEmail: admin.email, sealed: false, seq: null });
    expect(event.changes).toEqual([{ key: "purpose", before: "old", after: "new" }]);
    expect(event.summary).toBe('purpose: "old" → "new"');
    expect(await getAuditEvent(auditor, "999999999")).toBeNull();
    expect(await getAuditEvent(auditor, "-1")).toBeNull();
  });
});

describe("verify chain", () => {
  it("verifies what the sealer chained, reports what waits, and is itself audited", async () => {
    const client = await pool().connect();
    try {
      for (let round = 0; round < 20 && (await sealEvents(client, { maxHoldMs: 0 })).sealed > 0; round += 1);
    } finally {
      client.release();
    }
    const check = await checkAuditChain(auditor, actorOf(auditor));
    expect(check.ok).toBe(true);
    expect(check.checked).toBeGreaterThan(100);
    expect(check.head?.seq).toBe(check.checked);
    const recorded = await db().auditEvent.findFirstOrThrow({ where: { type: "audit.verified" }, orderBy: { id: "desc" } });
    expect(recorded.actorPersonId).toBe(auditor.id);
    expect(recorded.data).toMatchObject({ ok: true, checked: check.checked });
  });
});

describe("who may look", () => {
  const forbidden = async (call: () => Promise<unknown>) => {
    const error = await call().then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("forbidden");
  };

  it("admins and auditors may; approvers and people without a role may not (and nothing is recorded for them)", async () => {
    const decision = await db().decision.findFirstOrThrow({ where: { traceId: { not: null } } });
    const event = await db().auditEvent.findFirstOrThrow({ select: { id: true } });
    for (const person of [admin, auditor]) {
      expect(can(person.roles, "audit.view") && can(person.roles, "audit.export")).toBe(true);
      expect(await getDecisionRecord(person, decision.id)).not.toBeNull();
      expect(await getTrace(person, decision.traceId!)).not.toBeNull();
      expect(await getAuditEvent(person, event.id.toString())).not.toBeNull();
    }
    const before = await db().auditEvent.count();
    for (const person of [approver, member]) {
      expect(can(person.roles, "audit.view") || can(person.roles, "audit.export")).toBe(false);
      await forbidden(() => getDecisionRecord(person, decision.id));
      await forbidden(() => getTrace(person, decision.traceId!));
      await forbidden(() => getAuditEvent(person, event.id.toString()));
      await forbidden(() => checkAuditChain(person, actorOf(person)));
      await forbidden(() => exportAuditEvents(person, actorOf(person), { format: "csv" }, "http://localhost/audit"));
    }
    expect(await db().auditEvent.count()).toBe(before);
  });
});
