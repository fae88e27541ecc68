// `mandate key revoke`: revokes one key of an agent (by its prefix) or all of them, as a named
// person (--as) with the console's rights. --json prints { "agent", "revoked": [prefixes] }.
import { db } from "@/lib/db/client";
import { revokeAllCredentials } from "@/lib/credentials/revoke-all-credentials";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { UsageError, defineCommand } from "@/scripts/cli/command";
import { actingPerson, agentIdBySlug, asFlag, stringFlag } from "@/scripts/cli/acting-person";

interface Input {
  agent: string;
  prefix?: string;
  all: boolean;
  reason?: string;
  as: string;
  json: boolean;
}

export const keyRevokeCommand = defineCommand<Input>({
  name: "key revoke",
  summary: "Revoke one API key of an agent, or all of them.",
  usage: "key revoke (--prefix <prefix> | --all) --agent <slug> --as <e-mail> [--reason <text>] [--json]",
  details: [
    "--as names the person acting: an admin, or an owner or the technical owner of this agent.",
    "A revoked key is refused from the next call on. The reason goes into the audit.",
  ],
  options: {
    agent: { type: "string" },
    prefix: { type: "string" },
    all: { type: "boolean" },
    reason: { type: "string" },
    as: { type: "string" },
    json: { type: "boolean" },
  },
  needsSchema: true,
  async prepare(flags) {
    const as = asFlag(flags, "key revoke");
    const agent = stringFlag(flags, "agent");
    const prefix = stringFlag(flags, "prefix");
    const all = flags.all === true;
    if (!agent) throw new UsageError("key revoke needs --agent <slug>.");
    if ((prefix === undefined) === !all) throw new UsageError("key revoke needs exactly one of --prefix <prefix> and --all.");
    return { agent, prefix, all, reason: stringFlag(flags, "reason"), as, json: flags.json === true };
  },
  async run(input, { log }) {
    const revoked = await db().$transaction(async (tx) => {
      const { person, actor } = await actingPerson(tx, input.as);
      const agentId = await agentIdBySlug(tx, input.agent);
      if (input.all) return (await revokeAllCredentials(tx, person, actor, { agentId, reason: input.reason })).prefixes;
      return [(await revokeCredential(tx, person, actor, { agentId, prefix: input.prefix, reason: input.reason })).prefix];
    });
    if (input.json) {
      log(JSON.stringify({ agent: input.agent, revoked }));
      return;
    }
    if (revoked.length === 0) log(`${input.agent} has no unrevoked key; nothing changed.`);
    else log(`Revoked ${revoked.length} key(s) of ${input.agent}: ${revoked.join(", ")}. Calls with them are refused from now on.`);
  },
});
