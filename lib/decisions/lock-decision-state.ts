// The locks that order decision flushes against changes of the kill state. A flush holds a SHARED
// transaction-level advisory lock on the fleet and on each agent its allows depend on; a change that
// must stop decisions (kill, suspend, retire, stop-all, capability kill) takes the EXCLUSIVE lock
// first, with lockDecisionState() inside its transaction, before it bumps the version.
//
// Advisory locks rather than SELECT … FOR SHARE on the rows: PostgreSQL queues a new shared request
// behind a waiting exclusive one, so a kill waits only for the flushes already under way (tens of
// ms). Row share locks do not queue that way — each new flush can join the lock while the UPDATE
// waits — and under steady load a kill's UPDATE was measured waiting 1.7 s; they would also block
// every other UPDATE of the agent row (renames, last-seen times, list versions).
import type pg from "pg";
import type { Db } from "@/lib/db/client";

/** Lock namespaces (the first key of the two-key form): "MNDF" and "MNDA". */
export const FLEET_LOCK_SPACE = 0x4d4e4446;
export const AGENT_LOCK_SPACE = 0x4d4e4441;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The agent's key inside AGENT_LOCK_SPACE (FNV-1a of its id, as a signed 32-bit integer); a collision only costs a wait. */
export function agentLockKey(agentId: string): number {
  const id = agentId.toLowerCase();
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * One simple-protocol message (no parameters, so one round trip) that opens the flush's transaction,
 * takes the shared locks — fleet first, then agents in id order, the order every locker uses — and
 * only THEN reads the state, in later statements whose fresh snapshots see any change that held the
 * exclusive lock before us. Ids are checked to be UUIDs, the only text spliced in.
 */
export function lockAndReadSql(agentIds: readonly string[]): string {
  const sorted = [...agentIds].map((id) => id.toLowerCase()).sort();
  for (const id of sorted) if (!UUID.test(id)) throw new Error("lockAndReadSql: agent ids must be UUIDs.");
  const keys = sorted.map(agentLockKey).join(",");
  const ids = sorted.map((id) => `'${id}'`).join(",");
  return [
    "BEGIN",
    `SELECT pg_advisory_xact_lock_shared(${FLEET_LOCK_SPACE}, 0)`,
    `SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared(${AGENT_LOCK_SPACE}, k) FROM unnest(ARRAY[${keys}]::int4[]) WITH ORDINALITY AS t(k, n) ORDER BY n) AS locked`,
    "SELECT stopped, version FROM fleet_state WHERE id = 1",
    `SELECT id, status::text AS status, state_version FROM agent WHERE id IN (${ids})`,
  ].join(";\n");
}

type LockClient = Pick<Db, "$executeRaw"> | Pick<pg.ClientBase, "query">;

/**
 * Prisma transaction options for a change that stops decisions (kill, suspend, retire, stop-all,
 * capability kill). Prisma's defaults (2 s to get a connection, 5 s to finish) are made for quiet
 * consoles; a kill is pressed when things are on fire — under full decision load, with the
 * decision lock to wait for — and must not fail for want of patience.
 */
export const STOP_TRANSACTION = { maxWait: 10_000, timeout: 20_000 } as const;

/**
 * Call inside the transaction of any change that must stop decisions, FIRST — before it reads the
 * agent row FOR UPDATE or bumps agent.state_version / fleet_state.version. Waits for the flushes under
 * way (they then commit first) and keeps new ones out until this transaction ends (they then read
 * the new version). Keep that transaction short: every flush that includes an agent it names (or,
 * for the fleet, every flush) waits for it, and
 * fail (503, never allow) after the writer's 3 s lock timeout.
 */
export async function lockDecisionState(client: LockClient, target: { fleet?: boolean; agentIds?: readonly string[] }): Promise<void> {
  const keys: Array<[number, number]> = [];
  if (target.fleet) keys.push([FLEET_LOCK_SPACE, 0]);
  for (const id of [...(target.agentIds ?? [])].map((agentId) => agentId.toLowerCase()).sort()) keys.push([AGENT_LOCK_SPACE, agentLockKey(id)]);
  for (const [space, key] of keys) {
    if ("$executeRaw" in client) await client.$executeRaw`SELECT pg_advisory_xact_lock(${space}::int4, ${key}::int4)`;
    else await client.query("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", [space, key]);
  }
}
