// bench:kill part (d): no allow after a kill, under decision load on two instances. 64 connections
// (half on each console) ask POST /api/v1/decisions for one agent as fast as they are answered; the
// real use case, killAgent(), kills it in the middle; every answer is then sorted by when its request
// STARTED. The rule: a decision that starts after the kill request was answered is never
// allowed, on any instance — the count printed must be 0.
import pg from "pg";
import { closeDb, db } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { killAgent } from "@/lib/kill/kill-agent";
import { HOST, sleep } from "./console";

export interface KillUnderLoad {
  connections: number;
  decisions: number;
  perSecond: number;
  /** How long killAgent() took, from the call to its answer, under the load. */
  killMs: number;
  allowsBefore: number;
  startedAfter: number;
  /** Must be 0. */
  allowsAfter: number;
  /** Answers other than a 200 decision (errors, 503s). */
  failures: number;
}

const BODY = JSON.stringify({
  action: "bench.item.read",
  resource: "items/1",
  params: { fields: ["name", "owner"] },
  reasoning: { instruction: "Read the item the user asked about.", considered: ["read it", "skip it"], chosen: "read it", rationale: "It answers the question." },
  traceId: "bench-kill-under-load",
});

/** Gives the agent one allow line for a read action of its own catalog system. */
async function allowOneAction(admin: pg.Client, agentId: string, personId: string): Promise<void> {
  await admin.query("BEGIN");
  const system = await admin.query<{ id: string }>(
    "INSERT INTO system (key, name, updated_at) VALUES ('bench', 'Bench', now()) ON CONFLICT (key) DO UPDATE SET name = excluded.name RETURNING id",
  );
  const action = await admin.query<{ id: string }>(
    `INSERT INTO action (system_id, key, name, category, risk, updated_at) VALUES ($1, 'bench.item.read', 'Read an item', 'read', 'low', now())
     ON CONFLICT (key) DO UPDATE SET name = excluded.name RETURNING id`,
    [system.rows[0]!.id],
  );
  await admin.query(
    `INSERT INTO permission (agent_id, action_id, effect, justification, added_by_id, updated_at) VALUES ($1, $2, 'allow', 'bench', $3, now())`,
    [agentId, action.rows[0]!.id, personId],
  );
  await notifyChange(admin, { kind: "catalog" });
  await notifyChange(admin, { kind: "list", agentId });
  await admin.query("COMMIT");
}

export async function killUnderLoad(admin: pg.Client, ports: readonly number[], agent: { id: string; key: string }, options: { connections: number; seconds: number }): Promise<KillUnderLoad> {
  const person = (await admin.query<{ id: string }>("SELECT id FROM person WHERE name = 'Bench Admin' ORDER BY created_at LIMIT 1")).rows[0]!;
  await allowOneAction(admin, agent.id, person.id);
  const headers = { authorization: `Bearer ${agent.key}`, "content-type": "application/json" };
  const probe = await fetch(`http://${HOST}:${ports[0]}/api/v1/decisions`, { method: "POST", headers, body: BODY });
  const first = (await probe.json()) as { effect?: string };
  if (first.effect !== "allow") throw new Error(`(d) the probe decision was ${probe.status} ${JSON.stringify(first)}, not an allow.`);

  // The kill's database connection is opened now, not while this process is busy with the load.
  await db().$queryRaw`SELECT 1`;
  const answers: Array<{ startedAt: number; effect: string }> = [];
  let failures = 0;
  let running = true;
  const loop = async (port: number) => {
    while (running) {
      const startedAt = performance.now();
      try {
        const response = await fetch(`http://${HOST}:${port}/api/v1/decisions`, { method: "POST", headers, body: BODY });
        const answer = (await response.json()) as { effect?: string };
        if (response.status === 200 && typeof answer.effect === "string") answers.push({ startedAt, effect: answer.effect });
        else failures += 1;
      } catch {
        failures += 1;
      }
    }
  };
  const began = performance.now();
  const loops = Array.from({ length: options.connections }, (_, index) => loop(ports[index % ports.length]!));
  await sleep((options.seconds * 1000) / 2);
  const killStarted = performance.now();
  await killAgent({ id: person.id, roles: ["admin"] }, { type: "person", personId: person.id, via: "cli" }, { agentId: agent.id, mode: "graceful", reason: "bench: kill under load" });
  const killAnswered = performance.now();
  await sleep((options.seconds * 1000) / 2);
  running = false;
  await Promise.all(loops);
  const elapsed = (performance.now() - began) / 1000;
  await closeDb();

  const after = answers.filter((answer) => answer.startedAt > killAnswered);
  return {
    connections: options.connections,
    decisions: answers.length,
    perSecond: answers.length / elapsed,
    killMs: killAnswered - killStarted,
    allowsBefore: answers.filter((answer) => answer.startedAt < killStarted && answer.effect === "allow").length,
    startedAfter: after.length,
    allowsAfter: after.filter((answer) => answer.effect === "allow").length,
    failures,
  };
}
