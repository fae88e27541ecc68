// The outbox: turns checkpoints created or ended since the last round into deliveries, one per
// subscribed webhook. It reads the checkpoint table by time (created_at, decided_at) behind two
// watermarks, so nothing on the decision path or in the inbox ever waits for it — the decision
// writer and the console's transactions do not know webhooks exist. Each round re-reads a short
// window (LOOKBACK_MS) behind the watermarks, because a row's time is set before its transaction
// commits; the unique (webhook, event, checkpoint) key makes the re-read harmless. Only one
// instance scans per round: the watermark row is taken with FOR UPDATE SKIP LOCKED.
// With no enabled webhook a round is one read of the (tiny) webhook table: nothing is scanned,
// queued or written, and the watermarks are cleared so a webhook switched on starts from then.
// The same holds for each outbox on its own: the checkpoint scan runs only for webhooks that
// subscribe to a checkpoint event, the audit log's (enqueue-audit-webhook-events.ts) only for
// those that subscribe to one of its events.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { buildCheckpointPayload, type CheckpointEventRow } from "@/lib/webhooks/build-payload";
import { enqueueAuditWebhookEvents, type EnabledHook } from "@/lib/webhooks/enqueue-audit-webhook-events";
import { CHECKPOINT_WEBHOOK_EVENTS, type CheckpointWebhookEvent } from "@/lib/webhooks/webhook-events";

export const LOOKBACK_MS = 5_000;
const BATCH = 500;

type Hook = EnabledHook;

const isCheckpointEvent = (event: string) => (CHECKPOINT_WEBHOOK_EVENTS as readonly string[]).includes(event);

interface Row {
  id: string;
  status: CheckpointEventRow["status"];
  decision_id: string;
  required_approvals: number;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  note: string | null;
  agent_slug: string;
  agent_name: string;
  maturity: string;
  action: string;
  category: string | null;
  risk: string | null;
  resource: string | null;
  params: unknown;
  instruction: string;
  considered: unknown;
  chosen: string | null;
  rationale: string | null;
  on_behalf_of: string | null;
  votes: CheckpointEventRow["votes"] | null;
}

const rowsSql = (column: "created_at" | "decided_at") => `
SELECT c.id::text AS id, c.status::text AS status, c.decision_id::text AS decision_id, c.required_approvals, c.created_at, c.expires_at,
  c.decided_at, c.note, ag.slug AS agent_slug, ag.name AS agent_name, ag.maturity::text AS maturity, d.action, a.category::text AS category,
  a.risk::text AS risk, d.resource, d.params, d.instruction, d.considered, d.chosen, d.rationale, d.on_behalf_of,
  (SELECT json_agg(json_build_object('person', p.name, 'verdict', ap.verdict, 'at', ap.created_at) ORDER BY ap.created_at)
     FROM approval ap JOIN person p ON p.id = ap.person_id WHERE ap.checkpoint_id = c.id) AS votes
FROM checkpoint c
JOIN agent ag ON ag.id = c.agent_id
JOIN decision d ON d.id = c.decision_id
LEFT JOIN action a ON a.key = d.action
WHERE c.${column} > $1 AND c.${column} <= $2${column === "decided_at" ? " AND c.status <> 'pending'" : ""}
ORDER BY c.${column}, c.id
LIMIT $3`;

const CREATED_SQL = rowsSql("created_at");
const DECIDED_SQL = rowsSql("decided_at");

const CLEAR_ALL_SQL = `
WITH audit AS (UPDATE webhook_audit_outbox SET seq = NULL WHERE id = 1 AND seq IS NOT NULL)
UPDATE webhook_outbox SET created_through = NULL, decided_through = NULL WHERE id = 1 AND created_through IS NOT NULL`;

const INSERT_SQL = `
INSERT INTO webhook_delivery (id, webhook_id, event, checkpoint_id, payload, next_attempt_at, created_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::jsonb[], $6::timestamptz[], $6::timestamptz[])
ON CONFLICT (webhook_id, event, checkpoint_id) DO NOTHING`;

export interface EnqueueOptions {
  now?: Date;
  consoleUrl?: string;
}

/**
 * One round in its own transaction on `client`: how many deliveries it queued (0 when another
 * instance holds the round), and how many webhooks are switched on.
 */
export async function enqueueWebhookEvents(client: pg.ClientBase, options: EnqueueOptions = {}): Promise<{ queued: number; hooks: number }> {
  const now = options.now ?? new Date();
  const { rows: hooks } = await client.query<Hook>("SELECT id::text AS id, events, include_params, created_at, updated_at FROM webhook WHERE enabled");
  if (hooks.length === 0) {
    // Both outboxes' watermarks cleared in one statement: an idle round costs what it did before.
    await client.query(CLEAR_ALL_SQL);
    return { queued: 0, hooks: 0 };
  }
  const checkpoints = await enqueueCheckpointEvents(client, hooks.filter((hook) => hook.events.some(isCheckpointEvent)), options, now);
  const audit = await enqueueAuditWebhookEvents(client, hooks, { now, consoleUrl: options.consoleUrl });
  return { queued: checkpoints + audit, hooks: hooks.length };
}

async function enqueueCheckpointEvents(client: pg.ClientBase, hooks: Hook[], options: EnqueueOptions, now: Date): Promise<number> {
  if (hooks.length === 0) {
    await client.query("UPDATE webhook_outbox SET created_through = NULL, decided_through = NULL WHERE id = 1 AND created_through IS NOT NULL");
    return 0;
  }
  await client.query("BEGIN");
  try {
    const { rows: marks } = await client.query<{ created_through: Date | null; decided_through: Date | null }>(
      "SELECT created_through, decided_through FROM webhook_outbox WHERE id = 1 FOR UPDATE SKIP LOCKED",
    );
    const mark = marks[0];
    if (!mark) {
      await client.query("COMMIT");
      return 0;
    }
    // Without watermarks no round ran while a webhook was on (or none existed): the scan starts when
    // the earliest of them was last changed — added or switched back on — so a webhook hears what
    // happens from then on, never what happened while it was off.
    const since = new Date(Math.min(...hooks.map((hook) => hook.updated_at.getTime())));
    const created = await scan(client, CREATED_SQL, mark.created_through ?? since, now);
    const decided = await scan(client, DECIDED_SQL, mark.decided_through ?? since, now);
    let queued = await insert(client, hooks, created.rows, () => "checkpoint.created", (row) => row.created_at, options, now);
    queued += await insert(client, hooks, decided.rows, endEvent, (row) => row.decided_at ?? now, options, now);
    await client.query("UPDATE webhook_outbox SET created_through = $1, decided_through = $2 WHERE id = 1", [created.through, decided.through]);
    await client.query("COMMIT");
    return queued;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function scan(client: pg.ClientBase, sql: string, through: Date, now: Date): Promise<{ rows: Row[]; through: Date }> {
  const from = new Date(through.getTime() - LOOKBACK_MS);
  const { rows } = await client.query<Row>(sql, [from, now, BATCH]);
  // A full batch: continue next round from the last row read (the look-back window re-reads it).
  const last = rows.at(-1);
  const lastTime = last ? (sql === CREATED_SQL ? last.created_at : last.decided_at) : null;
  return { rows, through: rows.length === BATCH && lastTime ? new Date(Math.max(lastTime.getTime(), through.getTime())) : now };
}

function endEvent(row: Row): CheckpointWebhookEvent | null {
  if (row.status === "approved" || row.status === "denied") return "checkpoint.decided";
  if (row.status === "expired") return "checkpoint.expired";
  if (row.status === "cancelled") return "checkpoint.cancelled";
  return null;
}

async function insert(
  client: pg.ClientBase,
  hooks: Hook[],
  rows: Row[],
  eventOf: (row: Row) => CheckpointWebhookEvent | null,
  timeOf: (row: Row) => Date,
  options: EnqueueOptions,
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const { rows: existing } = await client.query<{ key: string }>(
    "SELECT webhook_id::text || ' ' || event || ' ' || checkpoint_id::text AS key FROM webhook_delivery WHERE checkpoint_id = ANY($1::uuid[])",
    [rows.map((row) => row.id)],
  );
  const seen = new Set(existing.map((row) => row.key));
  const columns: [string[], string[], string[], string[], string[], Date[]] = [[], [], [], [], [], []];
  for (const row of rows) {
    const event = eventOf(row);
    if (!event) continue;
    for (const hook of hooks) {
      // A webhook hears what happens after it was added, not what happened before.
      if (!hook.events.includes(event) || timeOf(row).getTime() < hook.created_at.getTime() || seen.has(`${hook.id} ${event} ${row.id}`)) continue;
      const deliveryId = randomUUID();
      const payload = buildCheckpointPayload(event, toEventRow(row), { deliveryId, includeParams: hook.include_params, consoleUrl: options.consoleUrl, now });
      columns[0].push(deliveryId);
      columns[1].push(hook.id);
      columns[2].push(event);
      columns[3].push(row.id);
      columns[4].push(JSON.stringify(payload));
      columns[5].push(now);
    }
  }
  if (columns[0].length === 0) return 0;
  const result = await client.query(INSERT_SQL, columns);
  return result.rowCount ?? 0;
}

function toEventRow(row: Row): CheckpointEventRow {
  return {
    checkpointId: row.id,
    status: row.status,
    decisionId: row.decision_id,
    requiredApprovals: row.required_approvals,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    note: row.note,
    agent: { slug: row.agent_slug, name: row.agent_name, maturity: row.maturity },
    action: row.action,
    category: row.category,
    risk: row.risk,
    resource: row.resource,
    params: row.params,
    reasoning: { instruction: row.instruction, considered: row.considered, chosen: row.chosen, rationale: row.rationale },
    onBehalfOf: row.on_behalf_of,
    votes: row.votes ?? [],
  };
}
