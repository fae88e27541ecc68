// One audit event in full: who (with request id, IP and user agent), what, about which subject,
// its data (a change as before → after), its reasoning, and its place in the sealed chain.
import "server-only";
import { changedFields } from "@/lib/audit/summarize-event";
import { loadEventRows, type AuditEventRow } from "@/lib/audit/list-audit-events";
import { pool } from "@/lib/db/pool";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export interface AuditEventDetail extends AuditEventRow {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: unknown;
  reasoning: unknown;
  parentId: string | null;
  seq: string | null;
  prevHash: string | null;
  hash: string | null;
  /** For a change (data with before and/or after): the fields that differ. */
  changes: ReturnType<typeof changedFields> | null;
}

interface DetailSqlRow {
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: unknown;
  reasoning: unknown;
  parent_id: string | null;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export async function getAuditEvent(person: Caller, id: string): Promise<AuditEventDetail | null> {
  assertCan(person, "audit.view");
  if (!/^[1-9]\d{0,18}$/.test(id) || BigInt(id) > 9_223_372_036_854_775_807n) return null;
  const [row] = await loadEventRows(pool(), [id]);
  if (!row) return null;
  const { rows } = await pool().query<DetailSqlRow>(
    `SELECT e.request_id, e.ip, e.user_agent, e.data, e.reasoning, e.parent_id, s.seq::text, s.prev_hash, s.hash
     FROM audit_event AS e LEFT JOIN audit_seal AS s ON s.event_id = e.id WHERE e.id = $1::bigint`,
    [id],
  );
  const detail = rows[0]!;
  const data = detail.data && typeof detail.data === "object" && !Array.isArray(detail.data) ? (detail.data as Record<string, unknown>) : null;
  return {
    ...row,
    requestId: detail.request_id,
    ip: detail.ip,
    userAgent: detail.user_agent,
    data: detail.data,
    reasoning: detail.reasoning,
    parentId: detail.parent_id,
    seq: detail.seq,
    prevHash: detail.prev_hash,
    hash: detail.hash,
    changes: data && ("before" in data || "after" in data) ? changedFields(data.before, data.after) : null,
  };
}
