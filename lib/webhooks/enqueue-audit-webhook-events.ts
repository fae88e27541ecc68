// The audit outbox: turns kill-switch events and owner notices into deliveries, read from the
// audit log in seal order behind a watermark over audit_seal.seq. Seals commit in seq order (one
// sealer at a time, each round after the previous one's commit), so every seal at or below the
// head read first is visible to the scan after it, and an event whose transaction committed late
// is simply sealed later, past the watermark, never passed over as a time or id watermark would.
// The kill and decision paths do not know webhooks exist; latency is the seal lag plus a round.
//
// One instance per round: the watermark row is taken with FOR UPDATE SKIP LOCKED, and the
// deliveries and the moved watermark commit together (the unique (webhook, event, audit event)
// key backs that up). With no enabled webhook subscribing to these events a round is one
// conditional UPDATE of a one-row table: nothing is scanned, and the watermark is cleared, so a
// new subscriber starts from when it subscribed rather than from wherever the watermark was left.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { buildAuditPayload, type AuditEventRow } from "@/lib/webhooks/build-audit-payload";
import { isAuditWebhookEvent, type AuditWebhookEvent } from "@/lib/webhooks/webhook-events";

/** Most seals read per round: a few milliseconds of key lookups; a backlog drains in big steps. */
export const AUDIT_BATCH = 5_000;
/** A first round starts this far before the earliest subscriber's last change, for clock skew. */
const START_SLACK_MS = 5_000;

export interface EnabledHook {
  id: string;
  events: string[];
  include_params: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface AuditEnqueueOptions {
  now: Date;
  consoleUrl?: string;
  batchSize?: number;
}

/** The audit event type each webhook event is read from. */
const auditTypeOf = (event: AuditWebhookEvent) => (event === "decision.owners_notified" ? "decision.made" : event);
const webhookEventOf = (type: string): AuditWebhookEvent | null => {
  const event = type === "decision.made" ? "decision.owners_notified" : type;
  return isAuditWebhookEvent(event) ? event : null;
};

// The first position when the watermark is clear: just before the first seal of an event created
// since the subscribers' start, or the head when none is sealed yet (every later one lies past it).
const START_SQL = `
SELECT coalesce((SELECT min(s.seq) - 1 FROM audit_event e JOIN audit_seal s ON s.event_id = e.id WHERE e.created_at >= $1),
  (SELECT max(seq) FROM audit_seal), 0)::text AS seq`;

// First the matching events alone (narrow), then names and catalog entries for those few. A
// decision.made is an owner notice only when the decision writer marked it (effect allow, senior
// agent, not a read); its decision row is read, by key, only for the on-behalf-of user. With only
// the rare kill-switch types subscribed, the planner finds them through audit_event(type, id);
// with decision.made it walks the seals in the range and looks each event up by its key (about
// 20-40 ms for a full batch of 5,000 on the 5M-event benchmark database).
const ROWS_SQL = `
WITH hits AS MATERIALIZED (
  SELECT s.seq, s.event_id FROM audit_seal s JOIN audit_event e ON e.id = s.event_id
  WHERE s.seq > $1 AND s.seq <= $2 AND e.type = ANY($3::text[])
    AND (e.type <> 'decision.made' OR e.data @> '{"ownersNotified": true}')
)
SELECT h.seq::text AS seq, e.id::text AS event_id, e.type, e.created_at, e.actor_type::text AS actor_type,
  coalesce(p.name, actor_agent.name) AS actor_name, ag.slug AS agent_slug, ag.name AS agent_name, ag.maturity::text AS maturity,
  e.subject_id, e.data, e.reasoning, act.category::text AS category, act.risk::text AS risk, d.on_behalf_of, own.owners, tech.name AS technical_owner
FROM hits h
JOIN audit_event e ON e.id = h.event_id
LEFT JOIN person p ON p.id = e.actor_person_id
LEFT JOIN agent actor_agent ON actor_agent.id = e.actor_agent_id
LEFT JOIN agent ag ON ag.id = e.agent_id
LEFT JOIN action act ON e.type = 'decision.made' AND act.key = e.data->>'action'
LEFT JOIN LATERAL (SELECT on_behalf_of FROM decision WHERE id = CASE WHEN e.type = 'decision.made' THEN e.subject_id::uuid END) d ON true
LEFT JOIN LATERAL (
  SELECT array_agg(op.name ORDER BY op.name) AS owners FROM agent_owner o JOIN person op ON op.id = o.person_id
  WHERE e.type = 'decision.made' AND o.agent_id = e.agent_id
) own ON true
LEFT JOIN person tech ON e.type = 'decision.made' AND tech.id = ag.technical_owner_id
ORDER BY h.seq`;

const INSERT_SQL = `
INSERT INTO webhook_delivery (id, webhook_id, event, audit_event_id, payload, next_attempt_at, created_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::jsonb[], $6::timestamptz[], $6::timestamptz[])
ON CONFLICT (webhook_id, event, audit_event_id) DO NOTHING`;

interface Row {
  seq: string;
  event_id: string;
  type: string;
  created_at: Date;
  actor_type: AuditEventRow["actor"]["type"];
  actor_name: string | null;
  agent_slug: string | null;
  agent_name: string | null;
  maturity: string | null;
  subject_id: string | null;
  data: unknown;
  reasoning: unknown;
  category: string | null;
  risk: string | null;
  on_behalf_of: string | null;
  owners: string[] | null;
  technical_owner: string | null;
}

/** One round on `client` (its own transaction when there is anything to do); how many deliveries it queued. */
export async function enqueueAuditWebhookEvents(client: pg.ClientBase, hooks: readonly EnabledHook[], options: AuditEnqueueOptions): Promise<number> {
  const subscribers = hooks.filter((hook) => hook.events.some(isAuditWebhookEvent));
  if (subscribers.length === 0) {
    await client.query("UPDATE webhook_audit_outbox SET seq = NULL WHERE id = 1 AND seq IS NOT NULL");
    return 0;
  }
  await client.query("BEGIN");
  try {
    // For this transaction only: a batch's estimate can pass jit_above_cost and the parallel
    // thresholds, and compiling or starting workers costs more than the few lookups save.
    const { rows: marks } = await client.query<{ seq: string | null }>(
      "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true), seq::text AS seq FROM webhook_audit_outbox WHERE id = 1 FOR UPDATE SKIP LOCKED",
    );
    const mark = marks[0];
    if (!mark) {
      await client.query("COMMIT");
      return 0;
    }
    // The head first: every seal up to it has committed, so the scan below sees all of them.
    const { rows: heads } = await client.query<{ seq: string }>("SELECT coalesce(max(seq), 0)::text AS seq FROM audit_seal");
    const head = BigInt(heads[0]?.seq ?? "0");
    const from = mark.seq !== null ? BigInt(mark.seq) : await startOf(client, subscribers);
    const limit = from + BigInt(options.batchSize ?? AUDIT_BATCH);
    const through = head < limit ? head : limit;
    let queued = 0;
    if (through > from) {
      const events = [...new Set(subscribers.flatMap((hook) => hook.events.filter(isAuditWebhookEvent)))];
      const { rows } = await client.query<Row>(ROWS_SQL, [from.toString(), through.toString(), events.map(auditTypeOf)]);
      queued = await insert(client, subscribers, rows, options);
    }
    if (mark.seq === null || through > from) await client.query("UPDATE webhook_audit_outbox SET seq = $1 WHERE id = 1", [(through > from ? through : from).toString()]);
    await client.query("COMMIT");
    return queued;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

// With the watermark clear no subscriber existed at the last round. Each subscriber's updated_at
// is at or after the moment it became one (creating, editing and switching on all set it), so
// starting there misses nothing it should hear; events before its creation are filtered per hook.
async function startOf(client: pg.ClientBase, subscribers: readonly EnabledHook[]): Promise<bigint> {
  const since = new Date(Math.min(...subscribers.map((hook) => hook.updated_at.getTime())) - START_SLACK_MS);
  const { rows } = await client.query<{ seq: string }>(START_SQL, [since]);
  return BigInt(rows[0]?.seq ?? "0");
}

async function insert(client: pg.ClientBase, hooks: readonly EnabledHook[], rows: Row[], options: AuditEnqueueOptions): Promise<number> {
  const columns: [string[], string[], string[], string[], string[], Date[]] = [[], [], [], [], [], []];
  for (const row of rows) {
    const event = webhookEventOf(row.type);
    if (!event) continue;
    const eventRow = toEventRow(row);
    for (const hook of hooks) {
      // A webhook hears what happens after it was added, not what happened before.
      if (!hook.events.includes(event) || row.created_at.getTime() < hook.created_at.getTime()) continue;
      const deliveryId = randomUUID();
      const payload = buildAuditPayload(event, eventRow, { deliveryId, includeParams: hook.include_params, consoleUrl: options.consoleUrl, now: options.now });
      columns[0].push(deliveryId);
      columns[1].push(hook.id);
      columns[2].push(event);
      columns[3].push(row.event_id);
      columns[4].push(JSON.stringify(payload));
      columns[5].push(options.now);
    }
  }
  if (columns[0].length === 0) return 0;
  const result = await client.query(INSERT_SQL, columns);
  return result.rowCount ?? 0;
}

function toEventRow(row: Row): AuditEventRow {
  const object = (value: unknown) => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
  return {
    eventId: row.event_id,
    seq: row.seq,
    createdAt: row.created_at,
    actor: { type: row.actor_type, name: row.actor_name },
    agent: row.agent_slug && row.agent_name ? { slug: row.agent_slug, name: row.agent_name, maturity: row.maturity ?? "intern" } : null,
    subjectId: row.subject_id,
    data: object(row.data) ?? {},
    reasoning: object(row.reasoning),
    ...(row.type === "decision.made"
      ? { decision: { category: row.category, risk: row.risk, onBehalfOf: row.on_behalf_of, owners: row.owners ?? [], technicalOwner: row.technical_owner } }
      : {}),
  };
}
