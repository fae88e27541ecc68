// `mandate agents export`: the agents (or one) with their written lists as an AgentList
// document, to stdout or a file. Read-only and secret-free, so it needs no --as.
import { writeFileSync } from "node:fs";
import { DOCUMENT_FORMATS, renderAgentDocument, type DocumentFormat } from "@/lib/agents/agent-document";
import { exportAgents } from "@/lib/agents/export-agents";
import { db } from "@/lib/db/client";
import { UsageError, defineCommand } from "@/scripts/cli/command";
import { stringFlag } from "@/scripts/cli/acting-person";

interface Input {
  slug?: string;
  format: DocumentFormat;
  out?: string;
}

export const agentsExportCommand = defineCommand<Input>({
  name: "agents export",
  summary: "Export agents and their written lists as YAML or JSON.",
  usage: "agents export [--slug <slug>] [--format yaml|json] [--out <file>]",
  details: ["Without --out the document goes to stdout. Keys are never exported; status and maturity appear as readOnly."],
  options: { slug: { type: "string" }, format: { type: "string" }, out: { type: "string" } },
  needsSchema: true,
  async prepare(flags) {
    const format = stringFlag(flags, "format") ?? "yaml";
    if (!(DOCUMENT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is yaml or json (got "${format}").`);
    return { slug: stringFlag(flags, "slug"), format: format as DocumentFormat, out: stringFlag(flags, "out") };
  },
  async run(input, { log }) {
    const document = await exportAgents(db(), { slug: input.slug });
    const text = renderAgentDocument(document, input.format);
    if (!input.out) {
      process.stdout.write(text);
      return;
    }
    writeFileSync(input.out, text);
    log(`Wrote ${document.agents.length} agent(s) to ${input.out}.`);
  },
});
