// `mandate agents import <file>`: creates or updates agents from an AgentList document as a named
// admin (--as), printing the diff. --dry-run writes nothing; --json prints one JSON object (the
// diff, its hash and whether it was applied).
import { readFileSync, statSync } from "node:fs";
import { MAX_DOCUMENT_BYTES, type DocumentFormat } from "@/lib/agents/agent-document";
import { importAgents } from "@/lib/agents/import-agents";
import { AppError } from "@/lib/http/errors";
import { UsageError, defineCommand } from "@/scripts/cli/command";
import { actingPerson, asFlag, stringFlag } from "@/scripts/cli/acting-person";
import { db } from "@/lib/db/client";
import { formatImportResult } from "@/scripts/cli/format-import";

interface Input {
  text: string;
  format?: DocumentFormat;
  dryRun: boolean;
  as: string;
  json: boolean;
}

export const agentsImportCommand = defineCommand<Input>({
  name: "agents import",
  summary: "Create or update agents from a YAML or JSON document, showing the changes.",
  usage: "agents import <file> [--dry-run] --as <e-mail> [--json]",
  details: [
    "--as names the person acting; they must be an enabled admin, exactly as in the console.",
    "Everything is validated first and applied in one transaction, or nothing is. Status, maturity and keys are never imported.",
  ],
  positionals: ["file"],
  options: { "dry-run": { type: "boolean" }, as: { type: "string" }, json: { type: "boolean" } },
  needsSchema: true,
  async prepare(flags) {
    const as = asFlag(flags, "agents import");
    const file = stringFlag(flags, "file");
    if (!file) throw new UsageError("agents import needs the file to import: agents import <file>.");
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new AppError("not_found", `Cannot read ${file}.`);
    }
    if (size > MAX_DOCUMENT_BYTES) throw new AppError("payload_too_large", `${file} is larger than 1 MiB; split it into several imports.`);
    const format = /\.json$/i.test(file) ? "json" : /\.ya?ml$/i.test(file) ? "yaml" : undefined;
    return { text: readFileSync(file, "utf8"), format, dryRun: flags["dry-run"] === true, as, json: flags.json === true };
  },
  async run(input, { log }) {
    const { person, actor } = await actingPerson(db(), input.as);
    const result = await importAgents(person, actor, { text: input.text, format: input.format, dryRun: input.dryRun });
    log(input.json ? JSON.stringify(result) : formatImportResult(result));
  },
});
