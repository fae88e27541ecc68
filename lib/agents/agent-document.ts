// The "agents as code" format, shared by export, import, the console and the CLI:
//
//   apiVersion: mandate/v1
//   kind: AgentList
//   agents:
//     - slug, name, purpose, environment
//       owners: [e-mail, …]          business owners (at least one), people of Mandate
//       technicalOwner: e-mail|null  not one of the owners
//       permissions: [line, …]       the written list in order, each line exactly as
//                                    lib/permissions/line-schema.ts takes it
//       readOnly: { … }              what export adds for the reader (status, maturity, list
//                                    version, live keys); import IGNORES it: status, maturity and
//                                    keys change only through their own audited actions
//
// YAML and JSON carry the same document. Import never deletes or retires an agent that the
// document leaves out.
import "server-only";
import { Document, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { MAX_OWNERS, agentEnvironmentSchema, agentNameSchema, agentPurposeSchema, agentSlugSchema } from "@/lib/agents/agent-schema";
import { AppError, type InvalidField } from "@/lib/http/errors";
import { permissionLineSchema } from "@/lib/permissions/line-schema";

export const AGENT_API_VERSION = "mandate/v1";
export const AGENT_LIST_KIND = "AgentList";
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
export const MAX_AGENTS = 5000;
export const MAX_LINES_PER_AGENT = 500;

const email = z.string().trim().toLowerCase().max(254).pipe(z.email("Use a person's e-mail address."));

export const agentSpecSchema = z.strictObject({
  // Identity rules are the register wizard's, so an import cannot create what the console would refuse.
  slug: agentSlugSchema,
  name: agentNameSchema,
  purpose: agentPurposeSchema,
  environment: agentEnvironmentSchema.default("production"),
  owners: z
    .array(email)
    .min(1, "Every agent needs at least one owner.")
    .max(MAX_OWNERS, `Name at most ${MAX_OWNERS} business owners.`)
    .refine((owners) => new Set(owners).size === owners.length, "An owner is listed twice."),
  technicalOwner: email.nullable().default(null),
  permissions: z.array(permissionLineSchema).max(MAX_LINES_PER_AGENT).default([]),
  readOnly: z.record(z.string(), z.unknown()).optional(),
});

export const agentDocumentSchema = z
  .strictObject({
    apiVersion: z.literal(AGENT_API_VERSION, { error: `Use apiVersion: ${AGENT_API_VERSION}.` }),
    kind: z.literal(AGENT_LIST_KIND, { error: `Use kind: ${AGENT_LIST_KIND}.` }),
    agents: z.array(agentSpecSchema).max(MAX_AGENTS),
  })
  .superRefine((document, context) => {
    const seen = new Map<string, number>();
    document.agents.forEach((agent, index) => {
      const first = seen.get(agent.slug);
      if (first === undefined) seen.set(agent.slug, index);
      else context.addIssue({ code: "custom", path: ["agents", index, "slug"], message: `The slug ${agent.slug} is already used by agents.${first}.` });
    });
  });

export type AgentSpecInput = z.input<typeof agentSpecSchema>;
export type AgentSpec = z.output<typeof agentSpecSchema>;
export type AgentDocument = z.output<typeof agentDocumentSchema>;
export type AgentDocumentInput = z.input<typeof agentDocumentSchema>;

export const DOCUMENT_FORMATS = ["yaml", "json"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** What export writes: the importable fields plus the informative readOnly block. */
export interface ExportedAgent {
  slug: string;
  name: string;
  purpose: string;
  environment: string;
  owners: string[];
  technicalOwner: string | null;
  permissions: unknown[];
  readOnly: { status: string; maturity: string; listVersion: number; liveKeys: number };
}

export interface ExportedDocument {
  apiVersion: typeof AGENT_API_VERSION;
  kind: typeof AGENT_LIST_KIND;
  agents: ExportedAgent[];
}

const YAML_HEADER = [
  " Mandate agents as code (apiVersion mandate/v1). Import with the console (Agents → Import)",
  " or `npm run mandate -- agents import <file> --as <e-mail>`; it shows the changes first.",
  " readOnly is for information: import ignores it (status, maturity and keys change only",
  " through their own audited actions). Agents left out of a document are not touched.",
].join("\n");

export function renderAgentDocument(document: ExportedDocument, format: DocumentFormat): string {
  if (format === "json") return `${JSON.stringify(document, null, 2)}\n`;
  const yaml = new Document(document);
  yaml.commentBefore = YAML_HEADER;
  return yaml.toString({ lineWidth: 0 });
}

/** Text → validated document; every mistake becomes a 4xx AppError naming where it is. */
export function parseAgentDocument(text: string, format?: DocumentFormat): AgentDocument {
  if (Buffer.byteLength(text, "utf8") > MAX_DOCUMENT_BYTES) {
    throw new AppError("payload_too_large", "The document is larger than 1 MiB; split it into several imports.");
  }
  const chosen = format ?? (/^\s*[{[]/.test(text) ? "json" : "yaml");
  const { value, lineOf } = chosen === "json" ? readJson(text) : readYaml(text);
  const parsed = agentDocumentSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: InvalidField[] = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(document)";
    const line = lineOf(issue.path);
    return { path, message: line ? `${issue.message} (line ${line})` : issue.message };
  });
  throw new AppError("validation_failed", "The document is not a valid agent list.", fields);
}

type Read = { value: unknown; lineOf: (path: readonly PropertyKey[]) => number | undefined };

function readJson(text: string): Read {
  try {
    return { value: JSON.parse(text), lineOf: () => undefined };
  } catch (error) {
    const message = error instanceof Error ? error.message : "Malformed JSON";
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAndColumn(text, Number(position[1])) : null;
    // V8 quotes the whole input in some messages ("…" is not valid JSON); the snippet is noise.
    const detail = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
    throw new AppError("invalid_json", `The JSON is malformed${where ? ` at line ${where.line}, column ${where.col}` : ""}: ${detail}.`, [
      { path: where ? `line ${where.line}, column ${where.col}` : "(document)", message: detail },
    ]);
  }
}

function readYaml(text: string): Read {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, schema: "core" });
  // Unknown tags (!!js/function and friends) are warnings to the parser; here they are mistakes.
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    const fields = problems.slice(0, 20).map((problem) => {
      const at = problem.linePos?.[0];
      const message = (problem.message.split("\n")[0] ?? problem.code).replace(/ at line \d+, column \d+:?$/, "");
      return { path: at ? `line ${at.line}, column ${at.col}` : "(document)", message };
    });
    throw new AppError("bad_request", `The YAML is malformed (${fields[0]?.path}: ${fields[0]?.message}).`, fields);
  }
  let value: unknown;
  try {
    // A low alias budget: a few anchors are handy, a billion laughs is not.
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new AppError("bad_request", `The YAML cannot be read: ${error instanceof Error ? error.message : "unknown error"}.`);
  }
  const lineOf = (path: readonly PropertyKey[]) => {
    // The deepest node that exists on the path (a missing field points at its parent).
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value, lineOf };
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}
