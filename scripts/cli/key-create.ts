// `mandate key create`: issues an agent API key as a named person (--as), with the same rights as
// the console's credentials tab, and prints it once. --json prints { "id", "prefix", "key" }.
import { z } from "zod";
import { createAgentKey } from "@/lib/credentials/create-agent-key";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { UsageError, defineCommand } from "@/scripts/cli/command";
import { actingPerson, agentIdBySlug, asFlag, stringFlag } from "@/scripts/cli/acting-person";

const inputSchema = z.object({
  agent: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1, "Give the key a label.").max(100, "Use at most 100 characters."),
  expires: z.string().trim().optional(),
});

interface Input extends z.output<typeof inputSchema> {
  as: string;
  json: boolean;
}

export const keyCreateCommand = defineCommand<Input>({
  name: "key create",
  summary: "Create an API key for an agent and print it once.",
  usage: "key create --agent <slug> --label <label> [--expires <ISO date>] --as <e-mail> [--json]",
  details: [
    "--as names the person acting: an admin, or an owner or the technical owner of this agent.",
    "The key is shown once and only its hash is kept; expiry at most two years ahead.",
    '--json prints one object: { "id", "prefix", "key" }.',
  ],
  options: { agent: { type: "string" }, label: { type: "string" }, expires: { type: "string" }, as: { type: "string" }, json: { type: "boolean" } },
  needsSchema: true,
  async prepare(flags) {
    const as = asFlag(flags, "key create");
    const missing = ["agent", "label"].filter((flag) => stringFlag(flags, flag) === undefined);
    if (missing.length > 0) throw new UsageError(`key create needs ${missing.map((flag) => `--${flag}`).join(", ")}.`);
    const parsed = inputSchema.safeParse({ agent: stringFlag(flags, "agent"), label: stringFlag(flags, "label"), expires: stringFlag(flags, "expires") });
    if (!parsed.success) throw new AppError("validation_failed", "The key is not valid.", fieldsFromZod(parsed.error.issues));
    return { ...parsed.data, as, json: flags.json === true };
  },
  async run(input, { log }) {
    const created = await db().$transaction(async (tx) => {
      const { person, actor } = await actingPerson(tx, input.as);
      const agentId = await agentIdBySlug(tx, input.agent);
      return createAgentKey(tx, person, actor, { agentId, label: input.label, expiresAt: input.expires });
    });
    if (input.json) {
      log(JSON.stringify({ id: created.id, prefix: created.prefix, key: created.key }));
      return;
    }
    log(`Created key ${created.prefix} for ${input.agent}. Shown this once (only a hash is kept):`);
    log(created.key);
  },
});
