// Kill-switch and owner-notice webhooks against a real PostgreSQL and a real HTTP receiver: each
// kind of event read from the sealed audit log reaches a subscribed receiver, signed, with its
// payload (parameters and reasoning only when opted in), nothing reaches one not subscribed, and
// the Slack variant is one line of text. How the outbox keeps its place in the log:
// webhooks-audit-outbox.test.ts.
import { describe, expect, it } from "vitest";
import { failUnacknowledgedDrills } from "@/lib/kill/fail-unacknowledged-drills";
import { killAgent } from "@/lib/kill/kill-agent";
import { killCapability, restoreCapability } from "@/lib/kill/kill-capability";
import { reviveAgent } from "@/lib/kill/revive-agent";
import { startDrill } from "@/lib/kill/start-drill";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";
import { verifySignature } from "@/lib/webhooks/sign-payload";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { personActor } from "./agent-api-fixtures";
import { ask, call } from "./decide-harness";
import { auditId, bodies, byType, CONSOLE, hook, org, ownedAgent, owner, plane, settle, until, setUpAuditWebhooks } from "./webhook-audit-fixtures";

setUpAuditWebhooks();

describe("kill switch webhooks", () => {
  it("send a kill to a subscribed receiver, signed and with its payload, and nothing to one not subscribed", async () => {
    const subscribed = await hook(["agent.killed"]);
    const other = await hook(["checkpoint.created", "agent.revived"]);
    const agent = await ownedAgent();
    await killAgent(owner, personActor(owner), { agentId: agent.id, mode: "forced", reason: "Wrong customer" });
    await until(() => subscribed.receiver.received.length >= 1);
    await settle();

    expect(subscribed.receiver.received).toHaveLength(1);
    expect(other.receiver.received).toHaveLength(0);
    const [request] = subscribed.receiver.received;
    expect(verifySignature(subscribed.secret, request!.body, request!.headers["mandate-signature"] as string)).toBe(true);
    expect(request!.headers["mandate-event"]).toBe("agent.killed");
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "agent.killed",
      audit: { eventId: await auditId("agent.killed", agent.id) },
      actor: { type: "person", name: "Ana Owner" },
      agent: { slug: agent.slug, name: agent.name, maturity: "senior" },
      kill: { mode: "forced", reason: "Wrong customer", previousStatus: "active", keysRevoked: 1, checkpointsCancelled: 0 },
      url: `${CONSOLE}/agents/${agent.slug}/kill-switch`,
    });
    expect(Date.parse(body.occurredAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(request!.body).not.toContain(owner.email);
    const [delivery] = await db().webhookDelivery.findMany({ where: { webhookId: subscribed.webhook.id } });
    expect(delivery).toMatchObject({ event: "agent.killed", status: "succeeded", auditEventId: BigInt(await auditId("agent.killed", agent.id)) });
  });

  it("send a revive, a fleet stop and resume, a capability kill and restore, and an unacknowledged drill", async () => {
    const { receiver } = await hook([
      "agent.revived",
      "fleet.stopped",
      "fleet.resumed",
      "capability.killed",
      "capability.restored",
      "kill_drill.unacknowledged",
    ]);
    const agent = await ownedAgent();
    const drilled = await ownedAgent();
    await killAgent(owner, personActor(owner), { agentId: agent.id });
    await reviveAgent(owner, personActor(owner), { agentId: agent.id, reason: "Fixed the lookup" });
    await stopAll(org.admin, org.actor, { mode: "forced", reason: "Incident 42" });
    await resumeAll(org.admin, org.actor, { reason: "Incident 42 closed" });
    const { killId } = await killCapability(org.admin, org.actor, { capability: "financial", agentId: drilled.id, reason: "No refunds today" });
    await restoreCapability(org.admin, org.actor, { killId });
    const { drillId } = await startDrill(owner, personActor(owner), { agentId: drilled.id });
    await failUnacknowledgedDrills(pool(), { now: new Date(Date.now() + 61_000), windowMs: 60_000 });
    await until(() => receiver.received.length >= 6);
    await settle();

    const got = byType(receiver);
    expect(Object.keys(got).sort()).toEqual(["capability.killed", "capability.restored", "fleet.resumed", "fleet.stopped", "kill_drill.unacknowledged", "agent.revived"].sort());
    expect(receiver.received).toHaveLength(6);
    expect(got["agent.revived"]).toMatchObject({
      actor: { name: "Ana Owner" },
      agent: { slug: agent.slug, maturity: "intern" },
      revive: { reason: "Fixed the lookup", status: "suspended", maturity: { before: "senior", after: "intern", kept: false } },
    });
    expect(got["fleet.stopped"]).toMatchObject({ agent: null, actor: { name: "Ada Admin" }, fleet: { stopped: true, mode: "forced", reason: "Incident 42" }, url: `${CONSOLE}/` });
    expect(got["fleet.resumed"]).toMatchObject({ fleet: { stopped: false, previousMode: "forced", reason: "Incident 42 closed" } });
    expect(got["capability.killed"]).toMatchObject({ agent: { slug: drilled.slug }, capability: { name: "financial", killId, scope: "agent", reason: "No refunds today" } });
    expect(got["capability.restored"]).toMatchObject({ capability: { name: "financial", killId } });
    expect(got["kill_drill.unacknowledged"]).toMatchObject({
      actor: { type: "system", name: null },
      agent: { slug: drilled.slug },
      drill: { id: drillId, thresholdMs: 1000, waitedSeconds: 60 },
    });
    // The sweeper ran with a clock a minute ahead; its audit row carries the database's time.
    expect((got["kill_drill.unacknowledged"]!.drill as { unansweredSeconds: number }).unansweredSeconds).toBeGreaterThanOrEqual(0);
    expect(got["kill_drill.unacknowledged"]!.text).toMatch(/^:warning: Agent \*.*\* did not acknowledge a kill drill within 60 s: the drill failed\./);
  });

  it("send the Slack variant as one line of text", async () => {
    const { receiver, secret } = await hook(["agent.killed", "fleet.stopped", "capability.killed"], { format: "slack" });
    const agent = await ownedAgent({ name: "Refund bot" });
    await killAgent(owner, personActor(owner), { agentId: agent.id, mode: "forced", reason: "Wrong customer" });
    await stopAll(org.admin, org.actor, { reason: "Incident <43>" });
    await resumeAll(org.admin, org.actor, { reason: "Over" });
    const { killId } = await killCapability(org.admin, org.actor, { capability: "t.doc.write" });
    await restoreCapability(org.admin, org.actor, { killId });
    await until(() => receiver.received.length >= 3);
    for (const request of receiver.received) {
      expect(Object.keys(JSON.parse(request.body) as object)).toEqual(["text"]);
      expect(verifySignature(secret, request.body, request.headers["mandate-signature"] as string)).toBe(true);
    }
    const texts = Object.fromEntries(receiver.received.map((request) => [request.headers["mandate-event"], (JSON.parse(request.body) as { text: string }).text]));
    expect(texts["agent.killed"]).toBe(`:octagonal_sign: Agent *Refund bot* was killed (forced) by Ana Owner: Wrong customer. <${CONSOLE}/agents/${agent.slug}/kill-switch|Open in Mandate>`);
    expect(texts["fleet.stopped"]).toBe(`:rotating_light: Every agent was stopped (graceful) by Ada Admin: Incident &lt;43&gt;. <${CONSOLE}/|Open in Mandate>`);
    expect(texts["capability.killed"]).toBe(`:no_entry_sign: \`t.doc.write\` was switched off for every agent by Ada Admin. <${CONSOLE}/|Open in Mandate>`);
  });
});

describe("owner notice webhooks", () => {
  it("send a senior agent's allowed non-read action to its owners' webhook, parameters and reasoning only when opted in", async () => {
    const plain = await hook(["decision.owners_notified"]);
    const full = await hook(["decision.owners_notified"], { includeParams: true });
    const senior = await ownedAgent({ name: "Docs bot" });
    const principal = await ownedAgent({ maturity: "principal" });
    const decide = async (key: string, action: string) => {
      const answer = await call(plane, "POST", "/decisions", { key, body: ask(action, { resource: "docs/7", params: { title: "Q3 plan" } }) });
      expect(answer.status, answer.text).toBe(200);
      return answer.body;
    };
    await decide(senior.key, "t.doc.read");
    await decide(principal.key, "t.doc.write");
    const wrote = await decide(senior.key, "t.doc.write");
    expect(wrote.effect).toBe("allow");
    await until(() => plain.receiver.received.length >= 1 && full.receiver.received.length >= 1);
    await settle();

    expect(plain.receiver.received).toHaveLength(1);
    expect(full.receiver.received).toHaveLength(1);
    const [body] = bodies(plain.receiver);
    expect(body).toMatchObject({
      type: "decision.owners_notified",
      actor: { type: "agent", name: "Docs bot" },
      agent: { slug: senior.slug, maturity: "senior" },
      decision: { id: wrote.decisionId, effect: "allow", action: { key: "t.doc.write", category: "write", risk: "low" }, resource: "docs/7" },
      owners: ["Ada Admin", "Ana Owner"],
      technicalOwner: "Ada Admin",
      url: `${CONSOLE}/audit/decisions/${String(wrote.decisionId)}`,
    });
    expect(body).not.toHaveProperty("params");
    expect(body).not.toHaveProperty("reasoning");
    expect(plain.receiver.received[0]!.body).not.toContain("Q3 plan");
    expect(body!.text).toBe(
      `:bell: Senior agent *Docs bot* did \`t.doc.write\` on \`docs/7\` (low risk) without approval; its owners are notified: Ada Admin, Ana Owner. <${CONSOLE}/audit/decisions/${String(wrote.decisionId)}|Open in Mandate>`,
    );
    expect(bodies(full.receiver)[0]).toMatchObject({ params: { title: "Q3 plan" }, reasoning: { instruction: "Handle ticket 4711 for the customer." } });
  });
});
