// The SQL behind scripts/seed-audit.ts. Every attribute of event i is a pure function of i (md5
// of a salted i), so PostgreSQL generates a chunk with INSERT … SELECT over generate_series and
// nothing is computed row by row in Node. Events come in blocks of eight: six decisions (some
// blocks chain them into one agent-to-agent trace), the outcome the first decision's agent
// reported, and either a person's approval of the sixth decision or another person or system event.
import { SEARCH_RANGE_WIDTH } from "@/lib/audit/index-audit-search";

/** What the generator draws actions from: key, category, resource prefix, instruction template. */
// %1$s is a customer, %2$s a number (ticket, invoice, PR …), %3$s an amount in EUR.
export const SEED_ACTIONS: ReadonlyArray<readonly [string, string, string, string]> = [
  ["helpdesk.ticket.read", "read", "tickets", "Summarise support ticket #%2$s from %1$s before the morning standup"],
  ["crm.contact.read", "read", "contacts", "Look up the contact record of %1$s to prepare the renewal call"],
  ["helpdesk.ticket.update", "write", "tickets", "Triage ticket #%2$s from %1$s: set its priority and route it to the right queue"],
  ["crm.note.create", "write", "contacts", "Log the call notes of today's call with %1$s about their renewal"],
  ["analytics.query.run", "read", "queries", "Run the weekly churn query for the segment of %1$s"],
  ["helpdesk.ticket.reply", "external_communication", "tickets", "Reply to %1$s on ticket #%2$s with the shipping status they asked for"],
  ["crm.deal.read", "read", "deals", "Check the stage of the %1$s deal before the pipeline review"],
  ["github.pr.review", "write", "repos/payments/pulls", "Review pull request #%2$s in the payments service and flag risky changes"],
  ["billing.invoice.read", "read", "invoices", "Find invoice INV-%2$s for %1$s, who says they were charged twice"],
  ["crm.deal.update", "write", "deals", "Move the %1$s deal to negotiation after yesterday's demo"],
  ["billing.refund.issue", "financial", "orders", "Refund %3$s EUR to %1$s for order %2$s after the failed delivery"],
  ["email.message.send", "external_communication", "mailboxes/outbound", "Send %1$s the quarterly usage report they requested"],
  ["ci.pipeline.rerun", "write", "pipelines", "Re-run the failed pipeline %2$s on the main branch"],
  ["github.issue.comment", "write", "repos/payments/issues", "Comment on issue #%2$s with the reproduction steps %1$s sent"],
  ["crm.contact.update", "write", "contacts", "Update the phone number of %1$s from the signed form in ticket #%2$s"],
  ["slack.message.post", "external_communication", "channels", "Post the incident summary for INC-%2$s in the shared channel with %1$s"],
  ["docs.page.update", "write", "pages", "Update the onboarding guide with the feedback from %1$s"],
  ["billing.credit.apply", "financial", "accounts", "Apply a goodwill credit of %3$s EUR to the account of %1$s for the outage"],
  ["hr.employee.read", "read", "employees", "Check the holiday balance of %1$s before approving their leave"],
  ["github.pr.merge", "write", "repos/payments/pulls", "Merge pull request #%2$s once the checks pass"],
  ["vendor.screening.check", "third_party_call", "screenings", "Check the sanctions screening of %1$s with the vendor API"],
  ["crm.contact.delete", "delete", "contacts", "Remove the duplicate contact record of %1$s found in the weekly dedupe"],
  ["storage.object.delete", "delete", "exports", "Delete the expired export %2$s that %1$s asked us to erase under GDPR"],
  ["billing.payout.create", "financial", "payouts", "Pay supplier %1$s invoice INV-%2$s of %3$s EUR, due this week"],
  ["crm.export.run", "admin", "exports", "Export every contact of %1$s for their data portability request"],
];

export const SEED_CUSTOMERS = [
  "Acme Logistics", "Okonkwo Foods", "Brightwater Dental", "Kowalski & Sons", "Nakamura Studio", "Lindqvist AB", "Delacroix Vins",
  "Patel Pharmacy", "Ferreira Transportes", "O'Brien Hardware", "Haddad Textiles", "Novak Robotics", "Mbeki Solar", "Rossi Ceramics",
  "Van Dijk Bikes", "Schneider Bakery", "Ivanova Design", "Tanaka Garden", "Andersen Marine", "Gupta Analytics", "Moreau Optique",
  "Kaplan Legal", "Silva Coffee", "Nguyen Electronics", "Hoffmann Print", "Costa Travel", "Dubois Immobilier", "Jensen Farms",
  "Alvarez Clinic", "Fischer Tools", "Larsen Kayaks", "Romano Pasta", "Yilmaz Carpets", "Petrov Security", "Keller Brewing",
  "Muller Pharma", "Sato Games", "Horvat Wines", "Eriksson Sound", "Mendes Fitness", "Quinn Architects", "Abara Fashion",
  "Berg Outdoor", "Castillo Foods", "Dahl Shipping", "Evans Plumbing", "Fontaine Hotels", "Garcia Motors", "Hansen Energy",
  "Ito Ramen", "Jovanovic Labs", "Khan Imports", "Lopez Bakery", "Meyer Insurance", "Nilsen Fish", "Ortiz Builders",
  "Park Cosmetics", "Reyes Catering", "Stein Books", "Weber Logistics",
];

const CONSIDERED: Record<string, readonly [string, string, string]> = {
  read: ["read the record", "ask the requester for the data", "skip it: not needed"],
  write: ["make the change", "ask a person to make the change", "leave it as it is"],
  external_communication: ["send it now", "draft it for a person to send", "do not send"],
  financial: ["pay the full amount", "pay part and escalate", "escalate to finance"],
  delete: ["delete it", "archive it instead", "keep it"],
  third_party_call: ["call the vendor API", "use last week's cached result", "ask compliance"],
  admin: ["run the export", "ask an admin to run it", "refuse the request"],
};

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Temporary lookup tables (actions, customers, considered options); they vanish with the session. */
export function lookupTablesSql(): string {
  const actions = SEED_ACTIONS.map(([key, category, prefix, template], index) => `(${index}, ${sqlText(key)}, ${sqlText(category)}, ${sqlText(prefix)}, ${sqlText(template)})`);
  const customers = SEED_CUSTOMERS.map((name, index) => `(${index}, ${sqlText(name)})`);
  const considered = Object.entries(CONSIDERED).map(([category, options]) => `(${sqlText(category)}, ${options.map(sqlText).join(", ")})`);
  return `
CREATE TEMP TABLE seed_action (idx int PRIMARY KEY, key text, category text, prefix text, template text);
INSERT INTO seed_action VALUES ${actions.join(",\n  ")};
CREATE TEMP TABLE seed_customer (idx int PRIMARY KEY, name text);
INSERT INTO seed_customer VALUES ${customers.join(",\n  ")};
CREATE TEMP TABLE seed_considered (category text PRIMARY KEY, first text, second text, third text);
INSERT INTO seed_considered VALUES ${considered.join(",\n  ")};`;
}

export interface SeedConstants {
  /** Distinguishes this run's ids and trace ids from an earlier run's: 8 hex digits. */
  nonce: string;
  /** Time of event 0, in ms since the epoch, and the spacing of events in ms. */
  startMs: number;
  stepMs: number;
  agents: number;
  people: number;
}

/**
 * Pure functions of the event number, created as temporary SQL functions (inlined by the planner).
 * u(salt, n) is a uniform draw in [0, 1).
 */
export function functionsSql(c: SeedConstants): string {
  const nonce = sqlText(c.nonce);
  const seed = Number.parseInt(c.nonce.slice(0, 8), 16);
  if (!Number.isSafeInteger(seed)) throw new Error("the nonce must start with 8 hex digits");
  const fn = (signature: string, returns: string, body: string) =>
    `CREATE FUNCTION pg_temp.${signature} RETURNS ${returns} LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT ${body} $fn$;`;
  return [
    fn("u(salt text, n bigint)", "float8", `(hashtextextended(salt || n::text, ${seed}) & 4294967295) / 4294967296.0`),
    fn("ms(i bigint)", "bigint", `floor(${c.startMs}::float8 + i * ${c.stepMs}::float8)::bigint`),
    fn("ts(i bigint)", "timestamptz", `to_timestamp(pg_temp.ms(i) / 1000.0)`),
    // A block chains its first 2–4 decisions into one trace in three cases out of ten.
    fn("chained(b bigint)", "boolean", `pg_temp.u('chain', b) < 0.3`),
    fn("chain_len(b bigint)", "int", `2 + floor(pg_temp.u('len', b) * 3)::int`),
    fn("in_chain(i bigint)", "boolean", `pg_temp.chained(i / 8) AND (i % 8) < pg_temp.chain_len(i / 8)`),
    // A quarter of the blocks send their sixth decision to a person (pending, then approved or denied).
    fn("gated(b bigint)", "boolean", `pg_temp.u('gate', b) < 0.25`),
    // Few busy agents and a long tail: agent k is drawn with probability ∝ the gap between √k and √(k+1).
    fn(
      "agent(i bigint)",
      "int",
      `CASE WHEN pg_temp.in_chain(i) THEN (floor(pg_temp.u('root', i / 8) * ${c.agents})::int + (i % 8)::int * 37) % ${c.agents}
        ELSE least(${c.agents - 1}, floor(${c.agents} * power(pg_temp.u('agent', i), 2))::int) END`,
    ),
    fn("person(i bigint)", "int", `least(${c.people - 1}, floor(${c.people} * power(pg_temp.u('person', i), 1.5))::int)`),
    fn("action(i bigint)", "int", `least(${SEED_ACTIONS.length - 1}, floor(${SEED_ACTIONS.length} * power(pg_temp.u('action', i), 2))::int)`),
    fn(
      "effect(i bigint)",
      "text",
      `CASE WHEN i % 8 = 5 AND pg_temp.gated(i / 8) THEN 'pending'
        WHEN i % 8 = 0 THEN CASE WHEN pg_temp.u('first', i / 8) < 0.9 THEN 'allow' ELSE 'deny' END
        WHEN pg_temp.u('effect', i) < 0.88 THEN 'allow' ELSE 'deny' END`,
    ),
    // UUIDv7 like the live writer's: the event's time in ms, then hashed bits.
    fn(
      "decision_id(i bigint)",
      "uuid",
      `(lpad(to_hex(pg_temp.ms(i)), 12, '0') || '7' || substr(md5('d' || ${nonce} || i::text), 1, 3)
        || '8' || substr(md5('d' || ${nonce} || i::text), 4, 15))::uuid`,
    ),
    fn("checkpoint_id(b bigint)", "uuid", `md5('k' || ${nonce} || b::text)::uuid`),
    fn(
      "trace_id(i bigint)",
      "text",
      `CASE WHEN pg_temp.in_chain(i) THEN 'tr_' || substr(md5('t' || ${nonce} || (i / 8)::text), 1, 20)
        WHEN pg_temp.u('traced', i) < 0.6 THEN 'tr_' || substr(md5('t' || ${nonce} || 'i' || i::text), 1, 20) END`,
    ),
  ].join("\n");
}


// Reason codes as the engine gives them (lib/permissions/reasons.ts).
const REASON = `CASE pg_temp.effect(x.di) WHEN 'allow' THEN 'allowed_by_list'
  WHEN 'pending' THEN CASE WHEN x.rr < 0.6 THEN 'requires_approval' ELSE 'policy_checkpoint' END
  ELSE CASE WHEN x.rr < 0.45 THEN 'not_on_list' WHEN x.rr < 0.65 THEN 'condition_failed' WHEN x.rr < 0.8 THEN 'never'
    WHEN x.rr < 0.92 THEN 'rate_limited' ELSE 'maturity_cap' END END`;

const PARAMS = `jsonb_strip_nulls(jsonb_build_object('ref', x.number,
  'amount', CASE WHEN a.category = 'financial' THEN x.amount END, 'currency', CASE WHEN a.category = 'financial' THEN 'EUR' END,
  'recipient', CASE WHEN a.category = 'external_communication' THEN 'ops@' || lower(regexp_replace(c.name, '[^A-Za-z]', '', 'g')) || '.example' END))`;

/** The agents from the trace's root to this hop, as the live writer records the delegation chain. */
const CHAIN = `CASE WHEN pg_temp.in_chain(x.di) AND x.di % 8 > 0 THEN (
  SELECT jsonb_agg(jsonb_build_object('agentId', g.id, 'agentSlug', g.slug, 'delegationId', NULL) ORDER BY k)
  FROM generate_series(0, (x.di % 8)::int) AS k JOIN seed_agent g ON g.idx = pg_temp.agent(x.di - x.di % 8 + k)) END`;

/**
 * seed_slot: one row per event of the chunk [$1, $2]. seed_decision: for each event about a
 * decision (the decision itself, the block's outcome, the block's approval), that decision's columns.
 */
export function slotsSql(from: number, to: number): string[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new Error("chunk bounds must be integers");
  return [
    `CREATE TEMP TABLE seed_slot ON COMMIT DROP AS
SELECT s.i, pg_temp.ts(s.i) AS ts,
  CASE WHEN s.i % 8 < 6 THEN 'decision'
       WHEN s.i % 8 = 6 AND pg_temp.effect(s.i - 6) = 'allow' THEN 'outcome'
       WHEN s.i % 8 = 7 AND pg_temp.gated(s.i / 8) THEN 'checkpoint'
       ELSE 'other' END AS kind,
  CASE WHEN s.i % 8 < 6 THEN s.i WHEN s.i % 8 = 6 THEN s.i - 6 ELSE s.i - 2 END AS di,
  pg_temp.u('misc', s.i) AS r, pg_temp.person(s.i) AS person_idx, pg_temp.agent(s.i) AS agent_idx
FROM generate_series(${from}::bigint, ${to}::bigint) AS s(i)`,
    `CREATE TEMP TABLE seed_decision ON COMMIT DROP AS
SELECT x.i, x.ts, x.kind, x.r, x.person_idx, x.di, pg_temp.decision_id(x.di) AS id, pg_temp.ts(x.di) AS decided_at,
  g.id AS agent_id, pg_temp.effect(x.di) AS effect, ${REASON} AS reason, pg_temp.trace_id(x.di) AS trace_id,
  CASE WHEN pg_temp.in_chain(x.di) AND x.di % 8 > 0 THEN pg_temp.decision_id(x.di - 1) END AS parent_id, ${CHAIN} AS chain,
  a.key AS action, a.prefix || '/' || x.number AS resource, ${PARAMS} AS params,
  format(a.template, c.name, x.number, x.amount) AS instruction, jsonb_build_array(k.first, k.second, k.third) AS considered, k.first AS chosen,
  format('The instruction asks for exactly this; "%s" is the smallest step that does it, and the written list was checked first.', k.first) AS rationale,
  'user:' || lower(regexp_replace(split_part(c.name, ' ', 1), '[^A-Za-z]', '', 'g')) AS on_behalf_of, 150 + floor(x.rr * 2500)::int AS latency_micros
FROM (
  SELECT sl.*, 10000 + floor(pg_temp.u('number', sl.di) * 90000)::int AS number, 5 + floor(pg_temp.u('amount', sl.di) * 2000)::int AS amount,
    pg_temp.u('reason', sl.di) AS rr, pg_temp.agent(sl.di) AS decision_agent, pg_temp.action(sl.di) AS action_idx,
    floor(pg_temp.u('customer', sl.di) * ${SEED_CUSTOMERS.length})::int AS customer_idx
  FROM seed_slot sl WHERE sl.kind <> 'other'
) x
JOIN seed_agent g ON g.idx = x.decision_agent
JOIN seed_action a ON a.idx = x.action_idx
JOIN seed_customer c ON c.idx = x.customer_idx
JOIN seed_considered k ON k.category = a.category`,
  ];
}

// The first decision of a block that was allowed reports its outcome two events later.
export const INSERT_DECISIONS_SQL = `
INSERT INTO decision (id, agent_id, action, resource, params, instruction, considered, chosen, rationale, on_behalf_of, trace_id,
  parent_decision_id, delegation_chain, effect, reason, latency_micros, created_at, outcome_status, outcome_summary, outcome_at)
SELECT d.id, d.agent_id, d.action, d.resource, d.params, d.instruction, d.considered, d.chosen, d.rationale, d.on_behalf_of, d.trace_id,
  d.parent_id, d.chain, d.effect::"DecisionEffect", d.reason, d.latency_micros, d.ts, o.status::"OutcomeStatus",
  CASE WHEN o.r < 0.9 THEN 'Done: ' || d.action || ' on ' || d.resource WHEN o.r IS NOT NULL THEN 'The upstream system timed out after 30 s; nothing changed.' END, o.ts
FROM seed_decision d
LEFT JOIN (
  SELECT s.i - 6 AS i, s.ts, CASE WHEN s.r < 0.9 THEN 'succeeded' ELSE 'failed' END AS status, s.r FROM seed_slot s WHERE s.kind = 'outcome'
) o ON o.i = d.i
WHERE d.kind = 'decision'
ORDER BY d.i`;

export const INSERT_CHECKPOINTS_SQL = `
WITH c AS (
  INSERT INTO checkpoint (id, decision_id, agent_id, digest, status, required_approvals, expires_at, created_at, decided_at, note)
  SELECT pg_temp.checkpoint_id(d.i / 8), d.id, d.agent_id, encode(sha256(convert_to(d.id::text || d.action, 'UTF8')), 'hex'),
    CASE WHEN d.r < 0.8 THEN 'approved' ELSE 'denied' END::"CheckpointStatus", 1, d.decided_at + interval '15 minutes', d.decided_at, d.ts,
    CASE WHEN d.r < 0.8 THEN 'Checked against the order history; fine.' ELSE 'Not without the customer''s written request.' END
  FROM seed_decision d WHERE d.kind = 'checkpoint'
  RETURNING id, decided_at, status, note
)
INSERT INTO approval (checkpoint_id, person_id, verdict, note, created_at)
SELECT c.id, p.id, CASE c.status WHEN 'approved' THEN 'approve' ELSE 'deny' END::"Verdict", c.note, c.decided_at
FROM c JOIN (SELECT pg_temp.checkpoint_id(i / 8) AS checkpoint_id, person_idx FROM seed_decision WHERE kind = 'checkpoint') d ON d.checkpoint_id = c.id
JOIN seed_person p ON p.approver_rank = d.person_idx % (SELECT count(*) FROM seed_person WHERE approver_rank IS NOT NULL)`;

const AUDIT_COLUMNS = `created_at, actor_type, actor_person_id, actor_agent_id, request_id, ip, user_agent, agent_id, type, subject_type, subject_id,
  data, reasoning, trace_id, parent_id`;

const SDK = `'mandate-sdk/0.3.0 node/20.19.0'`;
const BROWSER = `'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'`;

/** Every event of the chunk, in time order, so ids follow created_at as they do live. */
export const INSERT_AUDIT_SQL = `
INSERT INTO audit_event (${AUDIT_COLUMNS})
SELECT ${AUDIT_COLUMNS} FROM (
  SELECT d.i, d.ts AS created_at, 'agent'::"ActorType" AS actor_type, NULL::uuid AS actor_person_id, d.agent_id AS actor_agent_id,
    'req_' || substr(md5('q' || d.i), 1, 20) AS request_id, '10.20.' || (d.i % 7) || '.' || (d.i % 241) AS ip, ${SDK} AS user_agent,
    d.agent_id, CASE d.kind WHEN 'decision' THEN 'decision.made' ELSE 'decision.outcome' END AS type, 'decision' AS subject_type, d.id::text AS subject_id,
    CASE d.kind WHEN 'decision' THEN jsonb_build_object('effect', d.effect, 'reason', d.reason, 'ruleId', NULL, 'action', d.action, 'resource', d.resource, 'params', d.params)
      ELSE jsonb_build_object('status', CASE WHEN d.r < 0.9 THEN 'succeeded' ELSE 'failed' END, 'summary',
        CASE WHEN d.r < 0.9 THEN 'Done: ' || d.action || ' on ' || d.resource ELSE 'The upstream system timed out after 30 s; nothing changed.' END) END AS data,
    CASE d.kind WHEN 'decision' THEN jsonb_build_object('instruction', d.instruction, 'considered', d.considered, 'chosen', d.chosen, 'rationale', d.rationale) END AS reasoning,
    d.trace_id, CASE d.kind WHEN 'decision' THEN d.parent_id::text END AS parent_id
  FROM seed_decision d WHERE d.kind IN ('decision', 'outcome')
  UNION ALL
  SELECT d.i, d.ts, 'person', p.id, NULL, 'req_' || substr(md5('q' || d.i), 1, 20), '192.0.2.' || (d.person_idx + 10), ${BROWSER},
    d.agent_id, CASE WHEN d.r < 0.8 THEN 'checkpoint.approved' ELSE 'checkpoint.denied' END, 'checkpoint', pg_temp.checkpoint_id(d.i / 8)::text,
    jsonb_build_object('decisionId', d.id, 'status', CASE WHEN d.r < 0.8 THEN 'approved' ELSE 'denied' END, 'note',
      CASE WHEN d.r < 0.8 THEN 'Checked against the order history; fine.' ELSE 'Not without the customer''s written request.' END, 'via', 'console'),
    NULL, d.trace_id, NULL
  FROM seed_decision d JOIN seed_person p ON p.approver_rank = d.person_idx % (SELECT count(*) FROM seed_person WHERE approver_rank IS NOT NULL)
  WHERE d.kind = 'checkpoint'
  UNION ALL
  SELECT s.i, s.ts, CASE WHEN s.r < 0.82 THEN 'person' ELSE 'system' END::"ActorType", CASE WHEN s.r < 0.82 THEN p.id END, NULL,
    'req_' || substr(md5('q' || s.i), 1, 20), CASE WHEN s.r < 0.82 THEN '192.0.2.' || (s.person_idx + 10) END, CASE WHEN s.r < 0.82 THEN ${BROWSER} END,
    CASE WHEN s.r < 0.45 THEN NULL ELSE g.id END,
    CASE WHEN s.r < 0.40 THEN 'person.signed_in' WHEN s.r < 0.45 THEN 'person.sign_in_failed' WHEN s.r < 0.65 THEN 'permission.updated'
      WHEN s.r < 0.75 THEN 'agent.updated' WHEN s.r < 0.82 THEN 'credential.created' WHEN s.r < 0.94 THEN 'alert.raised' ELSE 'agent.maturity_changed' END,
    CASE WHEN s.r < 0.45 THEN 'person' WHEN s.r < 0.65 THEN 'permission' WHEN s.r < 0.75 THEN 'agent' WHEN s.r < 0.82 THEN 'credential'
      WHEN s.r < 0.94 THEN 'alert' ELSE 'agent' END,
    CASE WHEN s.r < 0.45 THEN p.id::text WHEN s.r < 0.65 OR (s.r >= 0.75 AND s.r < 0.94) THEN md5('s' || s.i)::uuid::text ELSE g.id::text END,
    CASE WHEN s.r < 0.40 THEN jsonb_build_object('method', 'password', 'via', 'console')
      WHEN s.r < 0.45 THEN jsonb_build_object('reason', 'wrong_password', 'consecutiveFailures', 1 + s.i % 3, 'locked', false, 'via', 'console')
      WHEN s.r < 0.65 THEN jsonb_build_object('before', jsonb_build_object('action', a.key, 'effect', 'require_approval', 'justification', 'New agent: a person checks first.'),
        'after', jsonb_build_object('action', a.key, 'effect', 'allow', 'justification', 'Two weeks without a rejected approval.'), 'via', 'console')
      WHEN s.r < 0.75 THEN jsonb_build_object('before', jsonb_build_object('purpose', 'Answers ' || a.prefix || ' questions.'),
        'after', jsonb_build_object('purpose', 'Answers and triages ' || a.prefix || ' questions.'), 'via', 'console')
      WHEN s.r < 0.82 THEN jsonb_build_object('label', 'rotation ' || to_char(s.ts, 'YYYY-MM'), 'prefix', 'mdt_' || substr(md5('c' || s.i), 1, 8), 'via', 'console')
      WHEN s.r < 0.94 THEN jsonb_build_object('kind', 'denial_burst', 'severity', 'warning', 'message', (5 + s.i % 20) || ' denials in 5 minutes')
      ELSE jsonb_build_object('before', jsonb_build_object('maturity', 'junior'), 'after', jsonb_build_object('maturity', 'senior'),
        'reason', 'Promotion gates passed.') END,
    NULL, NULL, NULL
  FROM (SELECT sl.*, pg_temp.action(sl.i) AS action_idx FROM seed_slot sl WHERE sl.kind = 'other') s
  JOIN seed_person p ON p.idx = s.person_idx JOIN seed_agent g ON g.idx = s.agent_idx JOIN seed_action a ON a.idx = s.action_idx
) e
ORDER BY e.i`;

/**
 * Copies the instruction of every event sealed past the search watermark into audit_search and
 * moves the watermark to the head, as the search indexer's rounds would (lib/audit/index-audit-search.ts),
 * in one statement: the head and the rows copied come from one snapshot. Run under the indexer's lock.
 */
export const FILL_SEARCH_SQL = `
WITH mark AS MATERIALIZED (
  SELECT p.seq FROM audit_search_progress AS p WHERE p.id = 1
), head AS MATERIALIZED (
  SELECT coalesce(max(s.seq), 0) AS seq FROM audit_seal AS s
), added AS (
  INSERT INTO audit_search (event_id, instruction)
  SELECT s.event_id, e.reasoning->>'instruction' FROM audit_seal AS s JOIN audit_event AS e ON e.id = s.event_id
  WHERE s.seq > (SELECT seq FROM mark) AND s.seq <= (SELECT seq FROM head) AND e.reasoning->>'instruction' IS NOT NULL
  ORDER BY s.event_id
  RETURNING 1
)
UPDATE audit_search_progress AS p SET seq = greatest(p.seq, (SELECT seq FROM head)) WHERE p.id = 1
RETURNING (SELECT count(*) FROM added)::int AS added`;

/** The ranges of audit_search the events sealed past the watermark fall in, created where missing (one id per range is enough). */
export const COVER_SEARCH_SQL = `SELECT audit_search_cover(ARRAY(
  SELECT DISTINCT floor(s.event_id::numeric / ${SEARCH_RANGE_WIDTH})::bigint * ${SEARCH_RANGE_WIDTH} FROM audit_seal AS s
  WHERE s.seq > (SELECT p.seq FROM audit_search_progress AS p WHERE p.id = 1)))`;

/** The search index exactly as migration 20261201100000_audit_search_ranges creates it, on every range (dropped and rebuilt for a big fill). */
export const SEARCH_INDEX_NAME = "audit_search_instruction_idx";
export const CREATE_SEARCH_INDEX_SQL = `CREATE INDEX "${SEARCH_INDEX_NAME}" ON "audit_search" USING GIN ("instruction" gin_trgm_ops)`;
