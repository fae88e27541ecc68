// Change fan-out through LISTEN/NOTIFY on a real PostgreSQL: two independent listeners (as two
// instances would hold) hear committed changes, never rolled-back ones, drop malformed payloads,
// and tell their caches to resync when their connection is cut and comes back.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { createChangeListener, encodeChange, notifyChange, type ChangeListener, type ChangeMessage } from "@/lib/db/notify";

interface Probe {
  listener: ChangeListener;
  messages: ChangeMessage[];
  name: string;
}

const probes: Probe[] = [];

function startProbe(): Probe {
  const name = `mandate-notify-test-${randomUUID().slice(0, 8)}`;
  const listener = createChangeListener({ url: process.env.DATABASE_URL!, applicationName: name, minBackoffMs: 20, maxBackoffMs: 200 });
  const probe: Probe = { listener, messages: [], name };
  listener.subscribe((message) => void probe.messages.push(message));
  probes.push(probe);
  return probe;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const changesIn = (probe: Probe) => probe.messages.filter((message) => message.kind !== "resync");
const hasId = (probe: Probe, id: string) => probe.messages.some((message) => "id" in message && message.id === id);

/** A committed change that every listener hears after anything committed before it. */
async function marker(): Promise<string> {
  const id = randomUUID();
  await notifyChange(pool(), { kind: "catalog", id });
  return id;
}

let a: Probe;
let b: Probe;

beforeAll(async () => {
  a = startProbe();
  b = startProbe();
  await Promise.all([a.listener.ready(), b.listener.ready()]);
});

afterAll(async () => {
  await Promise.all(probes.map((probe) => probe.listener.close()));
});

describe("change notifications", () => {
  it("tells every listener once it has connected to resync", () => {
    for (const probe of [a, b]) expect(probe.messages[0]).toEqual({ kind: "resync" });
  });

  it("delivers a change committed in a Prisma transaction to both instances", async () => {
    const id = randomUUID();
    const agentId = randomUUID();
    await db().$transaction(async (tx) => {
      await notifyChange(tx, { kind: "credential", id, agentId });
    });
    await waitFor(() => hasId(a, id) && hasId(b, id), "the change on both listeners");
    for (const probe of [a, b]) expect(changesIn(probe)).toContainEqual({ kind: "credential", id, agentId });
  });

  it("delivers a change committed through a pg client transaction only at commit", async () => {
    const id = randomUUID();
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await notifyChange(client, { kind: "agent", id });
      const early = await marker();
      await waitFor(() => hasId(a, early) && hasId(b, early), "the marker");
      expect(hasId(a, id) || hasId(b, id)).toBe(false);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    await waitFor(() => hasId(a, id) && hasId(b, id), "the change after commit");
  });

  it("never delivers a change whose transaction rolled back", async () => {
    const id = randomUUID();
    await expect(
      db().$transaction(async (tx) => {
        await notifyChange(tx, { kind: "list", id, agentId: randomUUID() });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    // Notifications arrive in commit order: once a later marker is in, the rolled-back one never will be.
    const after = await marker();
    await waitFor(() => hasId(a, after) && hasId(b, after), "the marker");
    expect(hasId(a, id) || hasId(b, id)).toBe(false);
  });

  it("ignores malformed payloads and keeps listening", async () => {
    const before = a.listener.stats().malformed;
    const client = await pool().connect();
    try {
      for (const payload of ["not json", '{"kind":"everything"}', '{"kind":"agent","id":42}', "[]", "null"]) {
        await client.query("select pg_notify($1, $2)", ["mandate_changes", payload]);
      }
    } finally {
      client.release();
    }
    const after = await marker();
    await waitFor(() => hasId(a, after), "the marker");
    expect(a.listener.stats().malformed - before).toBe(5);
    expect(changesIn(a).every((message) => ["agent", "credential", "list", "catalog"].includes(message.kind))).toBe(true);
  });

  it("refuses to send what a listener would drop", async () => {
    expect(() => encodeChange({ kind: "nope" as "agent" })).toThrow();
    expect(() => encodeChange({ kind: "agent", id: "x".repeat(201) })).toThrow();
    await expect(notifyChange(pool(), { kind: "agent", id: "" })).rejects.toThrow();
  });

  it("resyncs when its connection is cut, reconnects, and hears later changes", async () => {
    const cut = startProbe();
    await cut.listener.ready();
    cut.messages.length = 0;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const killed = await admin.query("select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1", [cut.name]);
      expect(killed.rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    // One resync when the connection goes (stop trusting caches), one when LISTEN is back.
    await waitFor(() => cut.listener.stats().connects === 2 && cut.listener.listening(), "the reconnect");
    expect(cut.messages.filter((message) => message.kind === "resync")).toHaveLength(2);
    const id = randomUUID();
    await notifyChange(pool(), { kind: "fleet", id });
    await waitFor(() => hasId(cut, id), "a change after the reconnect");
  });

  it("keeps retrying while the database refuses connections", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = "/mandate_does_not_exist";
    const listener = createChangeListener({ url: url.toString(), minBackoffMs: 10, maxBackoffMs: 20 });
    try {
      await waitFor(() => listener.stats().failedConnects >= 3, "three failed attempts");
      expect(listener.listening()).toBe(false);
      expect(listener.stats().connects).toBe(0);
    } finally {
      await listener.close();
    }
    await expect(listener.ready()).rejects.toThrow("closed");
  });
});
