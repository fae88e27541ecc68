// Export of the audit events matching a filter, streamed: keyset batches of the viewer's own query
// (so the export holds exactly what the viewer lists), written as CSV, JSON Lines or CloudEvents
// while the client reads — never the whole set in memory. The newest event at the start bounds the
// export, so rows appended meanwhile do not make it run on. The export itself is an audit event,
// recorded before the first byte leaves: an export that cannot be audited does not happen.
import "server-only";
import { z } from "zod";
import { filterParams, parseAuditFilter } from "@/lib/audit/audit-filter";
import { resolveScope } from "@/lib/audit/audit-scope";
import { EXPORT_CONTENT_TYPES, EXPORT_EXTENSIONS, EXPORT_FORMATS, exportWriter, type ExportFormat, type ExportRow } from "@/lib/audit/export-formats";
import { findAuditIds } from "@/lib/audit/find-audit-ids";
import { inViewerSession } from "@/lib/audit/viewer-session";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { AppError } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";

export const EXPORT_BATCH = 500;

const formatSchema = z.enum(EXPORT_FORMATS, { error: "Use format=csv, format=jsonl or format=cloudevents." }).default("csv");

const EXPORT_ROWS_SQL = `
SELECT e.id::text, s.seq::text, e.created_at, e.actor_type::text, p.email AS person_email, p.name AS person_name, aa.slug AS actor_slug,
  e.request_id, e.ip, e.user_agent, g.slug AS agent_slug, e.type, e.subject_type, e.subject_id, e.trace_id, e.parent_id, e.data, e.reasoning, s.hash
FROM audit_event e
LEFT JOIN audit_seal s ON s.event_id = e.id
LEFT JOIN person p ON p.id = e.actor_person_id
LEFT JOIN agent aa ON aa.id = e.actor_agent_id
LEFT JOIN agent g ON g.id = e.agent_id
WHERE e.id = ANY($1::bigint[])
ORDER BY e.id DESC`;

export interface AuditExport {
  format: ExportFormat;
  contentType: string;
  filename: string;
  /** Newest first, through the newest event that existed when the export started. */
  body: ReadableStream<Uint8Array>;
}

/**
 * `query` is the viewer's URL parameters plus `format`; page cursors are ignored (an export is
 * the whole filter). `source` is the CloudEvents source (the console's audit URL).
 */
export async function exportAuditEvents(person: Caller, actor: Actor, query: Record<string, unknown>, source: string, now = new Date()): Promise<AuditExport> {
  assertCan(person, "audit.export");
  const format = formatSchema.safeParse(query.format === "" ? undefined : query.format);
  if (!format.success) throw new AppError("validation_failed", "The export format is not valid.", [{ path: "format", message: format.error.issues[0]?.message ?? "Unknown format." }]);
  const parsed = parseAuditFilter(Object.fromEntries(Object.entries(query).filter(([key]) => key !== "before" && key !== "after")));
  if (!parsed.ok) throw new AppError("validation_failed", "The filter is not valid; fix it in the viewer and export again.", parsed.errors);
  const filter = parsed.filter;

  const { scope, top } = await inViewerSession(pool(), async (client) => ({
    scope: await resolveScope(client, filter),
    top: (await client.query<{ id: string | null }>("SELECT max(id)::text AS id FROM audit_event")).rows[0]?.id ?? null,
  }));
  await recordAudit(db(), actor, {
    type: "audit.exported",
    data: { format: format.data, filter: Object.fromEntries(filterParams(filter)), throughId: top },
  });

  const writer = exportWriter(format.data, source);
  const encoder = new TextEncoder();
  let cursor: string | undefined = top === null ? undefined : (BigInt(top) + 1n).toString();
  let first = true;
  let done = scope === null || top === null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (writer.open) controller.enqueue(encoder.encode(writer.open));
    },
    // Pulled as the client reads: one batch in memory at a time.
    async pull(controller) {
      if (done || !scope) {
        if (writer.close) controller.enqueue(encoder.encode(writer.close));
        controller.close();
        return;
      }
      const batch = await inViewerSession(pool(), async (client) => {
        const found = await findAuditIds(client, scope, { before: cursor, limit: EXPORT_BATCH });
        return { page: found, rows: found.ids.length ? (await client.query<ExportRow>(EXPORT_ROWS_SQL, [found.ids])).rows : [] };
      }).catch((error: unknown) => {
        // The headers are gone already: the download ends short, and the log says why.
        console.error(`audit export failed after event ${cursor ?? "(start)"}:`, error);
        controller.error(new Error("The export stopped early; start it again."));
        return null;
      });
      if (!batch) return;
      const { page, rows } = batch;
      let chunk = "";
      for (const row of rows) {
        chunk += (first ? "" : writer.separator) + writer.row(row);
        first = false;
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      cursor = page.ids.at(-1) ?? cursor;
      done = !page.more;
    },
  });
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return {
    format: format.data,
    contentType: EXPORT_CONTENT_TYPES[format.data],
    filename: `mandate-audit-${stamp}.${EXPORT_EXTENSIONS[format.data]}`,
    body,
  };
}
