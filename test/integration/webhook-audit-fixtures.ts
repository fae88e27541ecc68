// Shared by the tests of webhooks read from the sealed audit log (kill switch, owner notices): a
// real HTTP receiver per webhook, an organisation with an owner, a data plane, and a worker whose
// rounds the tests run by hand, sealing in between. setUpAuditWebhooks() registers the hooks.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll } from "vitest";
import { sealEvents } from "@/lib/audit/seal-events";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { setWebhookEnabled } from "@/lib/webhooks/update-webhook";
import { startWebhookWorker, type WebhookWorker } from "@/lib/webhooks/webhook-worker";
import { startPlane, stopTwoPlanes, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org } from "./decide-fixtures";
import { startReceiver, type Receiver } from "./webhook-receiver";

export type { Receiver };

process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

export const CONSOLE = "https://mandate.example.com";

// Live bindings: set by setUpAuditWebhooks()'s beforeAll, read by the tests.
export let org: Org;
export let owner: { id: string; roles: []; email: string };
export let plane: Plane;
export let worker: WebhookWorker;
const receivers: Receiver[] = [];
const hooks: string[] = [];

/** Registers the file's hooks; call once at the top of a test file. */
export function setUpAuditWebhooks(): void {
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
}

export async function hook(events: string[], options: { format?: "mandate" | "slack"; includeParams?: boolean } = {}) {
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
export async function ownedAgent(options: { name?: string; maturity?: "senior" | "principal" } = {}) {
  const agent = await makeAgent(org, { maturity: options.maturity ?? "senior", lines: [{ action: "t.doc.read" }, { action: "t.doc.write" }] });
  await db().agentOwner.create({ data: { agentId: agent.id, personId: owner.id } });
  const name = options.name ?? `Agent ${agent.slug}`;
  if (options.name) await db().agent.update({ where: { id: agent.id }, data: { name } });
  return { ...agent, name };
}

/** Seals everything committed. A row held back (some other transaction was open) is waited for. */
export async function seal(maxHoldMs?: number): Promise<void> {
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
export async function until(done: () => boolean | Promise<boolean>, rounds = 80): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    if (await done()) return;
    await seal();
    await worker.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("The expected deliveries did not arrive.");
}

export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await seal();
    await worker.runOnce();
  }
}

export const bodies = (receiver: Receiver) => receiver.received.map((request) => JSON.parse(request.body) as Record<string, unknown>);
export const byType = (receiver: Receiver) => Object.fromEntries(bodies(receiver).map((body) => [body.type as string, body]));
export const auditId = async (type: string, subjectId: string) =>
  (await db().auditEvent.findFirstOrThrow({ where: { type, subjectId }, orderBy: { id: "desc" }, select: { id: true } })).id.toString();

