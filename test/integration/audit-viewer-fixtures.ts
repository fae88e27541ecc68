// Shared by the audit viewer and export tests: a seeded trail (scripts/seed-audit.ts, the same
// generator as the benchmark), a few hand-made decisions with awkward text, an oracle that answers
// a filter with one plain query over the whole table, and a walk through the viewer's pages.
import { expect } from "vitest";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import type { SearchTuning } from "@/lib/audit/find-audit-ids";
import { newDecisionId } from "@/lib/decisions/decision-id";
import { pool } from "@/lib/db/pool";
import { seedAudit } from "../../scripts/seed-audit";

export type Params = Record<string, string>;

export async function seedTrail(events = 3_000): Promise<{ agentSlugs: string[] }> {
  const { agentSlugs } = await seedAudit(process.env.DATABASE_URL!, events, { agents: 12, people: 8, chunk: 1_000 });
  return { agentSlugs };
}

/** A decision and its decision.made event, as the live writer records them. */
export async function addDecision(agentSlug: string, instruction: string, options: { effect?: string; action?: string; at?: Date } = {}): Promise<{ decisionId: string; eventId: string }> {
  const id = newDecisionId();
  const effect = options.effect ?? "allow";
  const action = options.action ?? "crm.note.create";
  const at = options.at ?? new Date();
  const { rows } = await pool().query<{ id: string }>(
    `WITH a AS (SELECT id FROM agent WHERE slug = $2),
     d AS (INSERT INTO decision (id, agent_id, action, instruction, effect, reason, created_at)
           SELECT $1::uuid, a.id, $3, $4, $5::"DecisionEffect", 'allowed_by_list', $6 FROM a)
     INSERT INTO audit_event (created_at, actor_type, actor_agent_id, agent_id, type, subject_type, subject_id, data, reasoning)
     SELECT $6, 'agent', a.id, a.id, 'decision.made', 'decision', $7, jsonb_build_object('effect', $8::text, 'action', $9::text, 'reason', 'allowed_by_list'),
       jsonb_build_object('instruction', $10::text) FROM a
     RETURNING id::text`,
    [id, agentSlug, action, instruction, effect, at, id, effect, action, instruction],
  );
  return { decisionId: id, eventId: rows[0]!.id };
}

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

/** The ids a filter must return, newest first, from one unoptimised query. */
export async function oracle(filter: Params): Promise<string[]> {
  const params: unknown[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = ["true"];
  if (filter.agent) where.push(`e.agent_id = (SELECT id FROM agent WHERE slug = ${add(filter.agent)})`);
  if (filter.person) where.push(`e.actor_person_id = (SELECT id FROM person WHERE email = ${add(filter.person)})`);
  if (filter.type) where.push(`e.type = ${add(filter.type)}`);
  if (filter.action || filter.effect || filter.q) where.push(`e.type = 'decision.made'`);
  if (filter.action) where.push(`e.data->>'action' = ${add(filter.action)}`);
  if (filter.effect) where.push(`e.data->>'effect' = ${add(filter.effect)}`);
  if (filter.from) where.push(`e.created_at >= ${add(filter.from)}::timestamptz`);
  if (filter.to) where.push(`e.created_at < ${add(filter.to)}::timestamptz`);
  if (filter.trace) where.push(`e.trace_id = ${add(filter.trace)}`);
  if (filter.q) where.push(`e.reasoning->>'instruction' ILIKE ${add(escapeLike(filter.q))}`);
  const { rows } = await pool().query<{ id: string }>(`SELECT id::text FROM audit_event e WHERE ${where.join(" AND ")} ORDER BY e.id DESC`, params);
  return rows.map((row) => row.id);
}

/** Every page of the viewer for a filter, following the "older" cursor; the ids in order. */
export async function walkDown(filter: Params, options: { limit?: number; tuning?: SearchTuning; between?: () => Promise<void> } = {}): Promise<string[]> {
  const ids: string[] = [];
  let before: string | undefined;
  for (let pages = 0; pages < 10_000; pages += 1) {
    const page = await listAuditEvents({ ...filter, ...(before ? { before } : {}) }, { limit: options.limit ?? 37, tuning: options.tuning });
    expect(page.errors).toBeUndefined();
    ids.push(...page.events.map((event) => event.id));
    if (!page.older) return ids;
    before = page.older;
    await options.between?.();
  }
  throw new Error("the walk did not end");
}

/** Every page going up from the start of the table, following the "newer" cursor; ids oldest first. */
export async function walkUp(filter: Params, options: { limit?: number; tuning?: SearchTuning } = {}): Promise<string[]> {
  const ids: string[] = [];
  let after = "0";
  for (let pages = 0; pages < 10_000; pages += 1) {
    const page = await listAuditEvents({ ...filter, after }, { limit: options.limit ?? 37, tuning: options.tuning });
    expect(page.errors).toBeUndefined();
    ids.push(...page.events.map((event) => event.id).reverse());
    if (!page.newer) return ids;
    after = page.newer;
  }
  throw new Error("the walk did not end");
}

/** Values picked from the seeded data for each kind of filter. */
export async function sampleValues() {
  const one = async (sql: string) => (await pool().query<{ v: string }>(sql)).rows[0]?.v;
  const times = (await pool().query<{ lo: Date; hi: Date }>("SELECT min(created_at) AS lo, max(created_at) AS hi FROM audit_event")).rows[0]!;
  const third = (times.hi.getTime() - times.lo.getTime()) / 3;
  return {
    busyAgent: (await one("SELECT g.slug AS v FROM audit_event e JOIN agent g ON g.id = e.agent_id GROUP BY g.slug ORDER BY count(*) DESC LIMIT 1"))!,
    quietAgent: (await one("SELECT g.slug AS v FROM audit_event e JOIN agent g ON g.id = e.agent_id GROUP BY g.slug ORDER BY count(*), g.slug LIMIT 1"))!,
    person: (await one("SELECT p.email AS v FROM audit_event e JOIN person p ON p.id = e.actor_person_id GROUP BY p.email ORDER BY count(*) DESC LIMIT 1"))!,
    trace: (await one("SELECT trace_id AS v FROM audit_event WHERE parent_id IS NOT NULL AND trace_id IS NOT NULL ORDER BY id LIMIT 1"))!,
    ticket: (await one("SELECT substring(reasoning->>'instruction' from '#[0-9]+') AS v FROM audit_event WHERE reasoning->>'instruction' LIKE '%ticket #%' ORDER BY id LIMIT 1"))!,
    from: new Date(times.lo.getTime() + third).toISOString(),
    to: new Date(times.lo.getTime() + 2 * third).toISOString(),
  };
}
