// Kill-switch and owner-notice webhooks against a real PostgreSQL and a real HTTP receiver: events
// read from the sealed audit log (the sealer runs between worker rounds here), signed bodies with
// the right payload, only the events subscribed, nothing from before the webhook existed, a late
// commit not passed over by the seal watermark, nothing twice across rounds or racing workers,
// and the Slack text.
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sealEvents } from "@/lib/audit/seal-events";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { failUnacknowledgedDrills } from "@/lib/kill/fail-unacknowledged-drills";
import { killAgent } from "@/lib/kill/kill-agent";
import { killCapability, restoreCapability } from "@/lib/kill/kill-capability";
import { reviveAgent } from "@/lib/kill/revive-agent";
import { startDrill } from "@/lib/kill/start-drill";
import { resumeAll, stopAll } from "@/lib/kill/stop-all";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { enqueueWebhookEvents } from "@/lib/webhooks/enqueue-webhook-events";
import { verifySignature } from "@/lib/webhooks/sign-payload";
import { setWebhookEnabled } from "@/lib/webhooks/update-webhook";
import { startWebhookWorker, type WebhookWorker } from "@/lib/webhooks/webhook-worker";
import { personActor } from "./agent-api-fixtures";
import { ask, call, startPlane, stopTwoPlanes, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org } from "./decide-fixtures";

process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

const CONSOLE = "https://mandate.example.com";

interface Receiver {
  url: string;
  received: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Receiver["received"] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mandate`,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let org: Org;
let owner: { id: string; roles: []; email: string };
let plane: Plane;
let worker: WebhookWorker;
const receivers: Receiver[] = [];
const hooks: string[] = [];

beforeAll(async () => {
  org = await seedOrg();
  const person = await db().person.create({ data: { email: `ana-${randomUUID().slice(0, 8)}@example.com`, name: "Ana Owner", roles: [] } });
  owner = { id: person.id, roles: [], email: person.email };
  plane = await startPlane();
  worker = startWebhookWorker({ intervalMs: 3_600_000, timeoutMs: 2_000, backoff: { baseMs: 20, jitter: 0 }, consoleUrl: CONSOLE });
});

afterEach(async () => {
  for (const id of hooks.splice(0)) await setWebhookEnabled(org.admin, org.actor, { id, enabled: false });
  for (const receiver of receivers.splice(0)) await receiver.close();
});

afterAll(async () => {
  await worker.stop();
  await stopTwoPlanes(plane);
});

async function hook(events: string[], options: { format?: "mandate" | "slack"; includeParams?: boolean } = {}) {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const { webhook, secret } = await createWebhook(org.admin, org.actor, {
    name: `Receiver ${randomUUID().slice(0, 6)}`,
    url: receiver.url,
    events,
    format: options.format ?? "mandate",
    includeParams: options.includeParams ?? false,
  });
  hooks.push(webhook.id);
  return { receiver, webhook, secret };
}

/** An agent Ana Owner owns (beside the org's admin), senior unless told. */
async function ownedAgent(options: { name?: string; maturity?: "senior" | "principal" } = {}) {
  const agent = await makeAgent(org, { maturity: options.maturity ?? "senior", lines: [{ action: "t.doc.read" }, { action: "t.doc.write" }] });
  await db().agentOwner.create({ data: { agentId: agent.id, personId: owner.id } });
  const name = options.name ?? `Agent ${agent.slug}`;
  if (options.name) await db().agent.update({ where: { id: agent.id }, data: { name } });
  return { ...agent, name };
}

/** Seals everything committed. A row held back (some other transaction was open) is waited for. */
async function seal(maxHoldMs?: number): Promise<void> {
  const client = await pool().connect();
  try {
    for (;;) {
      const round = await sealEvents(client, { maxHoldMs });
      if (round.sealed > 0) continue;
      if (round.held === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    client.release();
  }
}

/** Seals, then runs worker rounds, until `done` holds. */
async function until(done: () => boolean | Promise<boolean>, rounds = 80): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    if (await done()) return;
    await seal();
    await worker.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("The expected deliveries did not arrive.");
}

async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await seal();
    await worker.runOnce();
  }
}

const bodies = (receiver: Receiver) => receiver.received.map((request) => JSON.parse(request.body) as Record<string, unknown>);
const byType = (receiver: Receiver) => Object.fromEntries(bodies(receiver).map((body) => [body.type as string, body]));
const auditId = async (type: string, subjectId: string) =>
  (await db().auditEvent.findFirstOrThrow({ where: { type, subjectId }, orderBy: { id: "desc" }, select: { id: true } })).id.toString();

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
