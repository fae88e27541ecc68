// The audit outbox of webhooks (lib/webhooks/enqueue-audit-webhook-events.ts) keeps its place in
// the sealed audit log: nothing from before a webhook existed, a late commit not passed over by the
// seal watermark, nothing twice across rounds or racing workers, a burst drained in one round.
import { describe, expect, it } from "vitest";
import { killAgent } from "@/lib/kill/kill-agent";
import { enqueueWebhookEvents } from "@/lib/webhooks/enqueue-webhook-events";
import { startWebhookWorker } from "@/lib/webhooks/webhook-worker";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { personActor } from "./agent-api-fixtures";
import { bodies, CONSOLE, hook, ownedAgent, owner, seal, settle, until, setUpAuditWebhooks, worker } from "./webhook-audit-fixtures";

setUpAuditWebhooks();

describe("webhooks from the audit outbox", () => {
  it("send nothing that happened before the webhook existed; a webhook without these events leaves the watermark clear", async () => {
    const before = await ownedAgent();
    const after = await ownedAgent();
    await hook(["checkpoint.created"]);
    await killAgent(owner, personActor(owner), { agentId: before.id, reason: "Before the webhook" });
    await settle();
    expect((await db().webhookAuditOutbox.findUniqueOrThrow({ where: { id: 1 } })).seq).toBeNull();

    const { receiver } = await hook(["agent.killed"]);
    await killAgent(owner, personActor(owner), { agentId: after.id, reason: "After the webhook" });
    await until(() => receiver.received.length >= 1);
    await settle();
    expect(bodies(receiver).map((body) => (body.agent as { slug: string }).slug)).toEqual([after.slug]);
    expect((await db().webhookAuditOutbox.findUniqueOrThrow({ where: { id: 1 } })).seq).not.toBeNull();
  });

  it("send an event whose transaction committed after later events were sealed and sent", async () => {
    const { receiver } = await hook(["agent.killed"]);
    const late = await ownedAgent();
    const early = await ownedAgent();
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO audit_event (actor_type, actor_person_id, agent_id, type, subject_type, subject_id, data)
         VALUES ('person', $1, $2, 'agent.killed', 'agent', $3, '{"after": {"mode": "graceful"}, "reason": "Committed late"}')`,
        [owner.id, late.id, late.id],
      );
      // A later id commits, is sealed and sent while the first transaction is still open.
      await killAgent(owner, personActor(owner), { agentId: early.id, reason: "Committed first" });
      for (let i = 0; i < 40 && receiver.received.length < 1; i += 1) {
        await seal(0);
        await worker.runOnce();
      }
      expect(bodies(receiver).map((body) => (body.kill as { reason: string }).reason)).toEqual(["Committed first"]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    await until(() => receiver.received.length >= 2);
    expect(bodies(receiver).map((body) => (body.kill as { reason: string }).reason)).toEqual(["Committed first", "Committed late"]);
  });

  it("send nothing twice, across rounds and with two instances racing", async () => {
    const { receiver, webhook } = await hook(["agent.killed"]);
    const agents = await Promise.all([ownedAgent(), ownedAgent(), ownedAgent()]);
    for (const agent of agents) await killAgent(owner, personActor(owner), { agentId: agent.id });
    await seal();
    // Two instances' rounds at once, each on a connection of its own: one queues, the other skips.
    const [a, b] = [await pool().connect(), await pool().connect()];
    try {
      const rounds = await Promise.all([enqueueWebhookEvents(a, { consoleUrl: CONSOLE }), enqueueWebhookEvents(b, { consoleUrl: CONSOLE })]);
      expect(rounds.map((round) => round.queued).sort()).toEqual([0, 3]);
    } finally {
      a.release();
      b.release();
    }
    const racer = startWebhookWorker({ intervalMs: 3_600_000, timeoutMs: 2_000, consoleUrl: CONSOLE });
    try {
      for (let i = 0; i < 20 && receiver.received.length < 3; i += 1) await Promise.all([worker.runOnce(), racer.runOnce()]);
      for (let i = 0; i < 3; i += 1) await Promise.all([worker.runOnce(), racer.runOnce()]);
    } finally {
      await racer.stop();
    }
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((request) => request.headers["mandate-delivery"])).size).toBe(3);
    expect(await db().webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(3);
  });

  it("drain a burst within one round, batch after batch", async () => {
    const { receiver, webhook } = await hook(["agent.killed"]);
    const agents = await Promise.all(Array.from({ length: 20 }, () => ownedAgent()));
    for (const agent of agents) await killAgent(owner, personActor(owner), { agentId: agent.id });
    await seal();
    // One round queues all twenty and sends them, eight at a time, instead of eight a round.
    expect(await worker.runOnce()).toMatchObject({ queued: 20, sent: 20 });
    expect(receiver.received).toHaveLength(20);
    expect(await db().webhookDelivery.count({ where: { webhookId: webhook.id, status: "succeeded" } })).toBe(20);
  });
});
