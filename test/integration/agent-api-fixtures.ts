// Shared by the checkpoint, outcome, delegation and approval tests: people, a small catalog,
// active agents with keys and written lists, pending checkpoints, and data-plane instances on a
// real port with real key verification (verifyAgentKey) and their own change listener each.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { CheckpointWaiters } from "@/lib/approvals/checkpoint-waiters";
import type { Actor } from "@/lib/audit/record";
import { createCredential } from "@/lib/credentials/create-credential";
import { verifyAgentKey } from "@/lib/credentials/verify-agent-key";
import { db } from "@/lib/db/client";
import { createChangeListener, type ChangeListener } from "@/lib/db/notify";
import type { Maturity, PermissionEffect, Role } from "@/lib/generated/prisma/enums";
import { buildDataPlane } from "@/lib/http/dataplane/app";
import type { Authenticate } from "@/lib/http/dataplane/define-route";
import { checkpointRoute } from "@/lib/http/dataplane/routes/checkpoints";
import { delegationRoute } from "@/lib/http/dataplane/routes/delegations";
import { outcomeRoute } from "@/lib/http/dataplane/routes/outcomes";
import { AppError } from "@/lib/http/errors";

export const SYSTEM_ACTOR: Actor = { type: "system", via: "test" };

export async function makePerson(roles: readonly Role[] = [], name = `Person ${randomUUID().slice(0, 6)}`) {
  return db().person.create({
    data: { email: `${randomUUID().slice(0, 8)}@example.com`, name, roles: [...roles] },
    select: { id: true, roles: true, name: true },
  });
}

export function personActor(person: { id: string }): Actor {
  return { type: "person", personId: person.id, requestId: randomUUID(), via: "console" };
}

/** crm.contact.read (read), crm.contact.update (write), crm.contact.delete (delete). */
export async function makeCatalog() {
  const system = await db().system.create({ data: { key: `crm${randomUUID().slice(0, 4)}`, name: "CRM" }, select: { id: true, key: true } });
  const make = (verb: string, category: "read" | "write" | "delete") =>
    db().action.create({ data: { systemId: system.id, key: `${system.key}.contact.${verb}`, name: verb, category, risk: "low" }, select: { id: true, key: true } });
  return { read: await make("read", "read"), update: await make("update", "write"), remove: await make("delete", "delete") };
}

export interface TestAgent {
  id: string;
  slug: string;
  key: string;
}

export async function makeAgent(options: {
  deployedById: string;
  ownerIds?: string[];
  technicalOwnerId?: string;
  status?: "active" | "suspended" | "draft";
  maturity?: Maturity;
  lines?: Array<{ actionId: string; effect: PermissionEffect }>;
}): Promise<TestAgent> {
  const slug = `agent-${randomUUID().slice(0, 8)}`;
  const agent = await db().agent.create({
    data: {
      slug,
      name: `Agent ${slug}`,
      purpose: "Testing",
      status: options.status ?? "active",
      maturity: options.maturity ?? "principal",
      deployedById: options.deployedById,
      technicalOwnerId: options.technicalOwnerId ?? null,
      owners: { create: (options.ownerIds ?? [options.deployedById]).map((personId) => ({ personId })) },
      permissions: { create: (options.lines ?? []).map((line, position) => ({ ...line, position, justification: "test" })) },
    },
    select: { id: true },
  });
  const { key } = await db().$transaction((tx) => createCredential(tx, SYSTEM_ACTOR, { agentId: agent.id, label: "test" }));
  return { id: agent.id, slug, key };
}

/** A decision of `agentId` and its checkpoint, as POST /decisions leaves them for `pending`. */
export async function makePendingCheckpoint(agentId: string, options: { requiredApprovals?: number; expiresInMs?: number } = {}) {
  const decision = await db().decision.create({
    data: { agentId, action: "crm.contact.update", instruction: "Update the contact", effect: "pending", reason: "requires_approval" },
    select: { id: true },
  });
  const checkpoint = await db().checkpoint.create({
    data: {
      decisionId: decision.id,
      agentId,
      digest: "d".repeat(64),
      requiredApprovals: options.requiredApprovals ?? 1,
      expiresAt: new Date(Date.now() + (options.expiresInMs ?? 15 * 60_000)),
    },
    select: { id: true },
  });
  return { decisionId: decision.id, checkpointId: checkpoint.id };
}

export async function makeDecision(agentId: string, effect: "allow" | "deny") {
  return db().decision.create({
    data: { agentId, action: "crm.contact.read", instruction: "Read the contact", effect, reason: effect === "allow" ? "allowed_by_list" : "not_on_list" },
    select: { id: true },
  });
}

/** Real key verification, as the server's own hook does it (without its cache). */
export const authenticateWithKeys: Authenticate = async (request) => {
  const header = request.headers.authorization;
  const verified = await verifyAgentKey(typeof header === "string" && header.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined);
  if (!verified) throw new AppError("unauthorized", "A valid agent key is required.");
  return verified;
};

export interface Instance {
  url: string;
  waiters: CheckpointWaiters;
  listener: ChangeListener;
  close(): Promise<void>;
}

/** One data-plane "instance" on a port: its own pool, change listener and checkpoint waiters. */
export async function startInstance(options: { maxWaitersPerAgent?: number } = {}): Promise<Instance> {
  const url = process.env.DATABASE_URL!;
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  pool.on("error", () => {});
  const listener = createChangeListener({ url, applicationName: `mandate-test-${randomUUID().slice(0, 6)}` });
  const waiters = new CheckpointWaiters(listener, options.maxWaitersPerAgent);
  const app = buildDataPlane({ logger: false, pool, authenticate: authenticateWithKeys, routes: [checkpointRoute({ waiters }), outcomeRoute, delegationRoute] });
  await app.listen({ port: 0, host: "127.0.0.1" });
  await listener.ready();
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    waiters,
    listener,
    async close() {
      // fetch (undici) may hold a fresh, never-used socket after an aborted request; the server
      // would wait for it to time out. Every wait has ended by now (the tests check the waiters).
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await listener.close();
      await pool.end();
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  contentType: string | null;
}

export async function call(instance: Instance, key: string | null, method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<Answer> {
  const response = await fetch(instance.url + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    signal,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, contentType: response.headers.get("content-type") };
}

export async function auditOf(type: string, subjectId: string) {
  return db().auditEvent.findMany({ where: { type, subjectId }, orderBy: { id: "asc" } });
}
