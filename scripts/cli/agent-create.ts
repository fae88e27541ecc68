// `mandate agent create`: registers a draft agent and issues its first API key in one
// transaction, acting as a named person (--as) whose roles are checked like a click in the
// console, and audited as done through the CLI. With --json, stdout is one JSON object.
import { z } from "zod";
import { agentIdentitySchema } from "@/lib/agents/agent-schema";
import { registerAgent } from "@/lib/agents/register-agent";
import type { Actor } from "@/lib/audit/record";
import { createAgentKey } from "@/lib/credentials/create-agent-key";
import { db, type Tx } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { UsageError, defineCommand, type Flags } from "@/scripts/cli/command";

const KEY_LABEL = "initial key (CLI)";
const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

const flagsSchema = agentIdentitySchema.extend({
  owners: z.array(email).min(1),
  technicalOwner: email.optional(),
  as: email,
  json: z.boolean(),
});

type Input = z.output<typeof flagsSchema>;

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

/** The acting person: known and enabled, or nothing happens. Their roles are checked by the use cases. */
async function actingPerson(tx: Tx, address: string) {
  const person = await tx.person.findUnique({ where: { email: address }, select: { id: true, roles: true, disabled: true } });
  if (!person || person.disabled) throw new AppError("forbidden", `--as ${address}: no enabled person has this e-mail.`);
  return person;
}

async function personIds(tx: Tx, addresses: readonly string[], flag: string): Promise<string[]> {
  const found = await tx.person.findMany({ where: { email: { in: [...addresses] } }, select: { id: true, email: true } });
  const byEmail = new Map(found.map((person) => [person.email, person.id]));
  const unknown = addresses.filter((address) => !byEmail.has(address));
  if (unknown.length > 0) {
    throw new AppError("unprocessable", `No person with the e-mail ${unknown.join(", ")}.`, unknown.map((address) => ({ path: flag, message: `unknown: ${address}` })));
  }
  return addresses.map((address) => byEmail.get(address) as string);
}

export const agentCreateCommand = defineCommand<Input>({
  name: "agent create",
  summary: "Register a draft agent and print its first API key once.",
  usage:
    "agent create --slug <slug> --name <name> --purpose <text> --owner <e-mail> [--owner <e-mail> …] [--technical-owner <e-mail>] [--environment <env>] --as <e-mail> [--json]",
  details: [
    "--as names the person acting; they must be an enabled admin, exactly as in the console.",
    "The key is shown once and only its hash is kept. --json prints one object: { \"id\", \"slug\", \"key\" }.",
  ],
  options: {
    slug: { type: "string" },
    name: { type: "string" },
    purpose: { type: "string" },
    owner: { type: "string", multiple: true },
    "technical-owner": { type: "string" },
    environment: { type: "string" },
    as: { type: "string" },
    json: { type: "boolean" },
  },
  needsSchema: true,
  async prepare(flags) {
    const owners = Array.isArray(flags.owner) ? (flags.owner as string[]) : [];
    const missing = [...["slug", "name", "purpose"].filter((flag) => text(flags, flag) === undefined), ...(owners.length ? [] : ["owner"]), ...(text(flags, "as") ? [] : ["as"])];
    if (missing.length > 0) throw new UsageError(`agent create needs ${missing.map((flag) => `--${flag}`).join(", ")}.`);
    // Checked before the database starts, so a bad slug or purpose fails at once.
    const parsed = flagsSchema.safeParse({
      slug: text(flags, "slug"),
      name: text(flags, "name"),
      purpose: text(flags, "purpose"),
      environment: text(flags, "environment"),
      owners,
      technicalOwner: text(flags, "technical-owner"),
      as: text(flags, "as"),
      json: flags.json === true,
    });
    if (!parsed.success) throw new AppError("validation_failed", "The agent is not valid.", fieldsFromZod(parsed.error.issues));
    return parsed.data;
  },
  async run(input, { log }) {
    const created = await db().$transaction(async (tx) => {
      const person = await actingPerson(tx, input.as);
      const actor: Actor = { type: "person", personId: person.id, via: "cli" };
      const ownerIds = await personIds(tx, input.owners, "--owner");
      const [technicalOwnerId] = input.technicalOwner ? await personIds(tx, [input.technicalOwner], "--technical-owner") : [null];
      const agent = await registerAgent(
        person,
        actor,
        { slug: input.slug, name: input.name, purpose: input.purpose, environment: input.environment, ownerIds, technicalOwnerId: technicalOwnerId ?? null, lines: [] },
        tx,
      );
      const credential = await createAgentKey(tx, person, actor, { agentId: agent.id, label: KEY_LABEL });
      return { id: agent.id, slug: agent.slug, key: credential.key };
    });
    if (input.json) {
      log(JSON.stringify(created));
      return;
    }
    log(`Registered ${created.slug} (${created.id}) as a draft intern with an empty written list.`);
    log(`Its API key, shown this once (only a hash is kept):`);
    log(created.key);
  },
});
