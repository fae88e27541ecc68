// Webhooks end to end against a real PostgreSQL and a real HTTP receiver (node:http on loopback):
// events queued from the checkpoint table, signed bodies the receiver can verify, parameters only
// when opted in, the Slack variant, retries with backoff and a delivery log per attempt, giving up,
// timeouts and refused redirects — and a receiver that hangs never holding up a decision.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decideCheckpoint } from "@/lib/approvals/decide-checkpoint";
import { expireCheckpoints } from "@/lib/approvals/expire-checkpoints";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { verifySignature } from "@/lib/webhooks/sign-payload";
import { setWebhookEnabled } from "@/lib/webhooks/update-webhook";
import { startWebhookWorker, type WebhookWorker } from "@/lib/webhooks/webhook-worker";
import { MAX_ATTEMPTS } from "@/lib/webhooks/retry-policy";
import { makeAgent, makePerson, personActor, type TestAgent } from "./agent-api-fixtures";
import { makeCheckpoint, makeSystem } from "./approvals-fixtures";
import { startReceiver, type Answer, type Receiver } from "./webhook-receiver";

process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

type Person = Awaited<ReturnType<typeof makePerson>>;

let admin: Person;
let approver: Person;
let agent: TestAgent;
let action: string;
let worker: WebhookWorker;
const receivers: Receiver[] = [];
const hooks: string[] = [];

beforeAll(async () => {
  admin = await makePerson(["admin"], "Ada Admin");
  approver = await makePerson(["approver"], "Ana Approver");
  const owner = await makePerson([]);
  agent = await makeAgent({ deployedById: owner.id, ownerIds: [owner.id] });
  action = (await makeSystem([{ verb: "refund.issue", category: "financial", risk: "critical" }])).actions["refund.issue"]!;
  worker = startWebhookWorker({ intervalMs: 3_600_000, timeoutMs: 400, backoff: { baseMs: 20, jitter: 0 }, consoleUrl: "https://mandate.example.com" });
});

afterEach(async () => {
  // Each test's webhooks stop, so the next test's rounds deliver only its own.
  for (const id of hooks.splice(0)) await setWebhookEnabled(admin, personActor(admin), { id, enabled: false });
  for (const receiver of receivers.splice(0)) await receiver.close();
});

afterAll(async () => {
  await worker.stop();
});

async function hook(options: { answer?: (count: number) => Answer; format?: "mandate" | "slack"; includeParams?: boolean; events?: string[] } = {}) {
  const receiver = await startReceiver(options.answer);
  receivers.push(receiver);
  const { webhook, secret } = await createWebhook(admin, personActor(admin), {
    name: `Receiver ${receivers.length}`,
    url: receiver.url,
    events: options.events ?? ["checkpoint.created", "checkpoint.decided", "checkpoint.expired", "checkpoint.cancelled"],
    format: options.format ?? "mandate",
    includeParams: options.includeParams ?? false,
  });
  hooks.push(webhook.id);
  return { receiver, webhook, secret };
}

/** Runs worker rounds until `done` holds (deliveries are sent within the round that claims them). */
async function until(done: () => boolean | Promise<boolean>, rounds = 60): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    if (await done()) return;
    await worker.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("The expected deliveries did not arrive.");
}

const bodies = (receiver: Receiver) => receiver.received.map((request) => JSON.parse(request.body) as Record<string, unknown>);

describe("webhook deliveries", () => {
  it("sends checkpoint.created and checkpoint.decided, signed, without parameters unless opted in", async () => {
    const { receiver, secret, webhook } = await hook();
    const { checkpointId } = await makeCheckpoint(agent.id, { action, params: { amount: 1200, iban: "DE89 3704 0044 0532 0130 00" } });
    await until(() => receiver.received.length >= 1);
    await decideCheckpoint(approver, personActor(approver), { checkpointId, verdict: "approve", note: "Checked the ticket" });
    await until(() => receiver.received.length >= 2);

    for (const request of receiver.received) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(verifySignature(secret, request.body, request.headers["mandate-signature"] as string)).toBe(true);
      expect(verifySignature("whsec_someone-elses-secret-000000", request.body, request.headers["mandate-signature"] as string)).toBe(false);
      expect(request.headers["mandate-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    }
    const [created, decided] = bodies(receiver);
    expect(receiver.received.map((request) => request.headers["mandate-event"])).toEqual(["checkpoint.created", "checkpoint.decided"]);
    expect(created).toMatchObject({
      type: "checkpoint.created",
      checkpoint: { id: checkpointId, status: "pending", url: `https://mandate.example.com/approvals?checkpoint=${checkpointId}` },
      agent: { slug: agent.slug },
      action: { key: action, category: "financial", risk: "critical" },
      resource: "accounts/42",
    });
    expect(created).not.toHaveProperty("params");
    expect(created).not.toHaveProperty("reasoning");
    expect(receiver.received[0]!.body).not.toContain("DE89");
    expect(created!.text).toMatch(/^:hourglass: Approval needed: \*Agent .*\* wants `.*refund\.issue` on `accounts\/42` \(critical risk\)/);
    expect(decided).toMatchObject({ type: "checkpoint.decided", checkpoint: { status: "approved", decidedBy: "Ana Approver", note: "Checked the ticket" } });
    expect(decided!.text).toMatch(/^:white_check_mark: Approved by Ana Approver/);

    const log = await db().webhookDelivery.findMany({ where: { webhookId: webhook.id }, include: { tries: true }, orderBy: { createdAt: "asc" } });
    expect(log.map((delivery) => [delivery.event, delivery.status, delivery.attempts])).toEqual([
      ["checkpoint.created", "succeeded", 1],
      ["checkpoint.decided", "succeeded", 1],
    ]);
    expect(log[0]?.tries).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204, error: null, nextRetryAt: null })]);
    expect(JSON.stringify(log)).not.toContain("receiver body");

    // Later rounds re-read a short window behind the watermark, and queue nothing twice.
    await worker.runOnce();
    await worker.runOnce();
    expect(receiver.received).toHaveLength(2);
  });

  it("includes parameters, reasoning and the on-behalf-of user when opted in; the Slack format sends only text", async () => {
    const full = await hook({ includeParams: true, events: ["checkpoint.created"] });
    const slack = await hook({ format: "slack", events: ["checkpoint.created"] });
    await makeCheckpoint(agent.id, { action, params: { amount: 1200 } });
    await until(() => full.receiver.received.length >= 1 && slack.receiver.received.length >= 1);
    expect(bodies(full.receiver)[0]).toMatchObject({
      params: { amount: 1200 },
      reasoning: { instruction: "Refund the double charge on ticket 4711.", chosen: "refund the difference" },
      onBehalfOf: "jamie.chen@example.com",
    });
    const slackBody = bodies(slack.receiver)[0]!;
    expect(Object.keys(slackBody)).toEqual(["text"]);
    expect(slackBody.text).toMatch(/Approval needed/);
    expect(verifySignature(slack.secret, slack.receiver.received[0]!.body, slack.receiver.received[0]!.headers["mandate-signature"] as string)).toBe(true);
  });

  it("sends checkpoint.expired and checkpoint.cancelled, and only the events subscribed", async () => {
    const { receiver } = await hook({ events: ["checkpoint.expired", "checkpoint.cancelled"] });
    const overdue = await makeCheckpoint(agent.id, { expiresInMs: -1 });
    await expireCheckpoints(pool(), { ids: [overdue.checkpointId], via: "test" });
    const killed = await makeCheckpoint(agent.id);
    await db().checkpoint.update({ where: { id: killed.checkpointId }, data: { status: "cancelled", decidedAt: new Date(), note: "Cancelled: the agent was killed." } });
    await until(() => receiver.received.length >= 2);
    const byType = Object.fromEntries(bodies(receiver).map((body) => [body.type, body]));
    expect(Object.keys(byType).sort()).toEqual(["checkpoint.cancelled", "checkpoint.expired"]);
    expect(byType["checkpoint.expired"]).toMatchObject({ checkpoint: { id: overdue.checkpointId, status: "expired" } });
    expect(byType["checkpoint.cancelled"]).toMatchObject({ checkpoint: { id: killed.checkpointId, status: "cancelled", note: "Cancelled: the agent was killed." } });
  });

  it("retries a failing receiver with growing delays and logs every attempt", async () => {
    const { receiver, webhook } = await hook({ answer: (count) => ({ status: count <= 2 ? 500 : 200 }), events: ["checkpoint.created"] });
    await makeCheckpoint(agent.id);
    await until(() => receiver.received.length >= 3);
    const [delivery] = await db().webhookDelivery.findMany({ where: { webhookId: webhook.id }, include: { tries: { orderBy: { attempt: "asc" } } } });
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(delivery!.tries.map((attempt) => [attempt.attempt, attempt.statusCode, attempt.error])).toEqual([
      [1, 500, "Answered 500."],
      [2, 500, "Answered 500."],
      [3, 200, null],
    ]);
    const [first, second] = delivery!.tries;
    // Backoff 20 ms then 40 ms (no jitter in this test): each retry waited at least its delay.
    expect(first!.nextRetryAt!.getTime() - first!.startedAt.getTime()).toBeGreaterThanOrEqual(20);
    expect(second!.nextRetryAt!.getTime() - second!.startedAt.getTime()).toBeGreaterThanOrEqual(40);
    const gaps = receiver.received.slice(1).map((request, i) => request.at - receiver.received[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(20);
    expect(gaps[1]).toBeGreaterThanOrEqual(40);
    // Every try was signed afresh and carried its attempt number.
    expect(receiver.received.map((request) => request.headers["mandate-attempt"])).toEqual(["1", "2", "3"]);
    expect(new Set(receiver.received.map((request) => request.headers["mandate-delivery"])).size).toBe(1);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts; refuses redirects; times out a receiver that does not answer`, async () => {
    const down = await hook({ answer: () => ({ status: 503 }), events: ["checkpoint.created"] });
    const moved = await hook({ answer: () => ({ status: 302, headers: { location: "http://169.254.169.254/" } }), events: ["checkpoint.created"] });
    const silent = await hook({ answer: () => "hang", events: ["checkpoint.created"] });
    await makeCheckpoint(agent.id);
    const settled = async (id: string) => (await db().webhookDelivery.findFirst({ where: { webhookId: id } }))?.status === "failed";
    await until(async () => (await settled(down.webhook.id)) && (await settled(moved.webhook.id)), 200);

    const gaveUp = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: down.webhook.id }, include: { tries: true } });
    expect(gaveUp).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, nextAttemptAt: null, lastStatusCode: 503 });
    expect(gaveUp.tries).toHaveLength(MAX_ATTEMPTS);
    expect(down.receiver.received).toHaveLength(MAX_ATTEMPTS);
    const redirected = await db().webhookAttempt.findFirstOrThrow({ where: { delivery: { webhookId: moved.webhook.id } } });
    expect(redirected).toMatchObject({ statusCode: 302, error: "Answered 302; redirects are not followed." });
    const timedOut = await db().webhookAttempt.findFirstOrThrow({ where: { delivery: { webhookId: silent.webhook.id } } });
    expect(timedOut).toMatchObject({ statusCode: null, error: "No answer within 400 ms." });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(390);
  });

  it("never holds up a decision, even while a receiver hangs", async () => {
    // A worker that would wait a minute for the receiver: the decision must not wait with it.
    // (No wall-clock bound here: on a loaded machine any bound is a coin toss; the order is the proof.)
    const patient = startWebhookWorker({ intervalMs: 3_600_000, timeoutMs: 60_000, backoff: { baseMs: 20, jitter: 0 }, consoleUrl: "https://mandate.example.com" });
    try {
      const { receiver } = await hook({ answer: () => "hang", events: ["checkpoint.created", "checkpoint.decided"] });
      const { checkpointId } = await makeCheckpoint(agent.id);
      let delivered = false;
      const round = patient.runOnce().finally(() => (delivered = true));
      await expect.poll(() => receiver.received.length).toBe(1);
      await decideCheckpoint(approver, personActor(approver), { checkpointId, verdict: "deny" });
      expect(delivered, "the decision waited for the hanging delivery").toBe(false);
      await receiver.close();
      await round;
      const attempt = await db().webhookAttempt.findFirstOrThrow({ where: { delivery: { webhookId: hooks.at(-1) } } });
      expect(attempt.statusCode).toBeNull();
    } finally {
      await patient.stop();
    }
  });

  it("refuses to connect to private addresses when MANDATE_WEBHOOK_ALLOW_PRIVATE=0, and logs why", async () => {
    const { receiver, webhook } = await hook({ events: ["checkpoint.created"] });
    process.env.MANDATE_WEBHOOK_ALLOW_PRIVATE = "0";
    try {
      await makeCheckpoint(agent.id);
      await until(async () => (await db().webhookAttempt.count({ where: { delivery: { webhookId: webhook.id } } })) >= 1);
    } finally {
      delete process.env.MANDATE_WEBHOOK_ALLOW_PRIVATE;
    }
    expect(receiver.received).toHaveLength(0);
    const attempt = await db().webhookAttempt.findFirstOrThrow({ where: { delivery: { webhookId: webhook.id } } });
    expect(attempt.error).toBe("This address is never allowed for webhooks.");
  });

  it("gives up at once when the secret cannot be decrypted (NEXTAUTH_SECRET changed)", async () => {
    const { receiver, webhook } = await hook({ events: ["checkpoint.created"] });
    const original = process.env.NEXTAUTH_SECRET;
    process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
    try {
      await makeCheckpoint(agent.id);
      await until(async () => (await db().webhookDelivery.findFirst({ where: { webhookId: webhook.id } }))?.status === "failed");
    } finally {
      process.env.NEXTAUTH_SECRET = original;
    }
    expect(receiver.received).toHaveLength(0);
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(delivery).toMatchObject({ attempts: 1 });
    expect(delivery.lastError).toMatch(/cannot be decrypted/);
  });

  it("switched back on while no other webhook is, hears what happens from then on, not what happened while it was off", async () => {
    const { receiver, webhook } = await hook({ events: ["checkpoint.created"] });
    await pool().query("UPDATE webhook SET created_at = now() - interval '2 hours', updated_at = now() - interval '2 hours' WHERE id = $1", [webhook.id]);
    await setWebhookEnabled(admin, personActor(admin), { id: webhook.id, enabled: false });
    await worker.runOnce(); // no webhook on: the watermarks are cleared
    const whileOff = await makeCheckpoint(agent.id);
    await pool().query("UPDATE checkpoint SET created_at = now() - interval '1 hour' WHERE id = $1", [whileOff.checkpointId]);
    await setWebhookEnabled(admin, personActor(admin), { id: webhook.id, enabled: true });
    const afterwards = await makeCheckpoint(agent.id);
    const heard = () => bodies(receiver).map((body) => (body.checkpoint as { id: string }).id);
    await until(() => heard().includes(afterwards.checkpointId));
    for (let i = 0; i < 3; i += 1) await worker.runOnce();
    // (Checkpoints of the seconds just before it was switched on may come too: the scan looks back a
    // few seconds for rows committed late.)
    expect(heard()).not.toContain(whileOff.checkpointId);
  });

  it("sends a test delivery on request, and nothing once the webhook is switched off", async () => {
    const { receiver, webhook, secret } = await hook({ events: ["checkpoint.created"] });
    await sendTestWebhook(admin, personActor(admin), { id: webhook.id });
    await until(() => receiver.received.length >= 1);
    expect(bodies(receiver)[0]).toMatchObject({ type: "webhook.test", text: expect.stringMatching(/Test delivery from Mandate/) });
    expect(verifySignature(secret, receiver.received[0]!.body, receiver.received[0]!.headers["mandate-signature"] as string)).toBe(true);

    await setWebhookEnabled(admin, personActor(admin), { id: webhook.id, enabled: false });
    await makeCheckpoint(agent.id);
    for (let i = 0; i < 3; i += 1) await worker.runOnce();
    expect(receiver.received).toHaveLength(1);
  });
});
