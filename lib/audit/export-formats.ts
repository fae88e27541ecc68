// How an exported audit event is written: CSV (spreadsheet-safe), JSON Lines, or CloudEvents 1.0
// in the JSON batch format (application/cloudevents-batch+json: one JSON array of structured
// events, streamed element by element). Pure functions; export-audit.ts feeds them rows.
import { summarizeEvent } from "@/lib/audit/summarize-event";

export const EXPORT_FORMATS = ["csv", "jsonl", "cloudevents"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
  cloudevents: "application/cloudevents-batch+json; charset=utf-8",
};

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { csv: "csv", jsonl: "jsonl", cloudevents: "json" };

/** One audit_event row as the export reads it. */
export interface ExportRow {
  id: string;
  seq: string | null;
  created_at: Date;
  actor_type: string;
  person_email: string | null;
  person_name: string | null;
  actor_slug: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  agent_slug: string | null;
  type: string;
  subject_type: string | null;
  subject_id: string | null;
  trace_id: string | null;
  parent_id: string | null;
  data: unknown;
  reasoning: unknown;
  hash: string | null;
}

export const CSV_COLUMNS = [
  "id", "seq", "time", "actor_type", "actor", "actor_email", "request_id", "ip", "user_agent", "agent", "type", "subject_type",
  "subject_id", "trace_id", "parent_id", "effect", "action", "instruction", "summary", "data", "reasoning", "hash",
] as const;

function actorName(row: ExportRow): string {
  return row.actor_type === "person" ? (row.person_name ?? "") : row.actor_type === "agent" ? (row.actor_slug ?? "") : "system";
}

function field(value: unknown, key: string): string {
  if (!value || typeof value !== "object") return "";
  const found = (value as Record<string, unknown>)[key];
  return typeof found === "string" ? found : "";
}

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or
 * carriage return, or spaces before one of them) gets a leading apostrophe, so opening an export runs nothing
 * an agent or a person typed into an instruction or a name (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^(?:[=+\-@\t\r]|\s+[=+\-@])/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

export function csvLine(row: ExportRow): string {
  const instruction = field(row.reasoning, "instruction");
  const cells = [
    row.id,
    row.seq ?? "",
    row.created_at.toISOString(),
    row.actor_type,
    actorName(row),
    row.person_email ?? "",
    row.request_id ?? "",
    row.ip ?? "",
    row.user_agent ?? "",
    row.agent_slug ?? "",
    row.type,
    row.subject_type ?? "",
    row.subject_id ?? "",
    row.trace_id ?? "",
    row.parent_id ?? "",
    row.type === "decision.made" ? field(row.data, "effect") : "",
    row.type === "decision.made" ? field(row.data, "action") : "",
    instruction,
    summarizeEvent(row.type, row.data, instruction),
    row.data === null || row.data === undefined ? "" : JSON.stringify(row.data),
    row.reasoning === null || row.reasoning === undefined ? "" : JSON.stringify(row.reasoning),
    row.hash ?? "",
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** The event as one JSON object, the same fields as the CSV with data and reasoning kept as JSON. */
export function jsonRecord(row: ExportRow) {
  return {
    id: row.id,
    seq: row.seq,
    time: row.created_at.toISOString(),
    actor: {
      type: row.actor_type,
      name: actorName(row),
      ...(row.person_email ? { email: row.person_email } : {}),
      requestId: row.request_id,
      ip: row.ip,
      userAgent: row.user_agent,
    },
    agent: row.agent_slug,
    type: row.type,
    subject: row.subject_type ? { type: row.subject_type, id: row.subject_id } : null,
    traceId: row.trace_id,
    parentId: row.parent_id,
    data: row.data ?? null,
    reasoning: row.reasoning ?? null,
    hash: row.hash,
  };
}

export function jsonLine(row: ExportRow): string {
  return `${JSON.stringify(jsonRecord(row))}\n`;
}

/**
 * A CloudEvents 1.0 structured event. `source` is the console's audit trail, `type` the event
 * type under Mandate's reverse-DNS prefix, `id` the audit event id (unique per source), and the
 * chain position and hash travel as extension attributes.
 */
export function cloudEvent(row: ExportRow, source: string) {
  const { id, time, type, subject, ...data } = jsonRecord(row);
  return {
    specversion: "1.0",
    id,
    source,
    type: `dev.mandate.${type}`,
    ...(subject ? { subject: `${subject.type}/${subject.id ?? ""}` } : {}),
    time,
    datacontenttype: "application/json",
    ...(row.seq ? { mandateseq: row.seq } : {}),
    ...(row.hash ? { mandatehash: row.hash } : {}),
    data: { type, ...data },
  };
}

/** Writers per format: what opens the document, each row, the separator between rows, and the end. */
export function exportWriter(format: ExportFormat, source: string) {
  if (format === "csv") return { open: csvHeader(), row: csvLine, separator: "", close: "" };
  if (format === "jsonl") return { open: "", row: jsonLine, separator: "", close: "" };
  return { open: "[\n", row: (row: ExportRow) => JSON.stringify(cloudEvent(row, source)), separator: ",\n", close: "\n]\n" };
}
