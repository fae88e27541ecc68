"use server";
// Key actions of the credentials tab. The capability here only admits signed-in people; the use
// cases check the per-agent right (admin, the agent's owners, its technical owner) themselves.
import { refresh } from "next/cache";
import { consoleAction } from "@/lib/auth/action";
import { createAgentKey, createAgentKeySchema } from "@/lib/credentials/create-agent-key";
import { revokeAllCredentials, revokeAllCredentialsSchema } from "@/lib/credentials/revoke-all-credentials";
import { revokeCredential, revokeCredentialSchema } from "@/lib/credentials/revoke-credential";
import { db } from "@/lib/db/client";

export const createKey = consoleAction("agents.view", createAgentKeySchema, async ({ input, person, actor }) => {
  const created = await db().$transaction((tx) => createAgentKey(tx, person, actor, input));
  refresh();
  return { message: "Key created.", data: { key: created.key, prefix: created.prefix } };
});

export const revokeKey = consoleAction("agents.view", revokeCredentialSchema, async ({ input, person, actor }) => {
  const revoked = await db().$transaction((tx) => revokeCredential(tx, person, actor, input));
  refresh();
  return { message: `Key ${revoked.prefix} revoked. Calls with it are refused from now on.` };
});

export const revokeAllKeys = consoleAction("agents.view", revokeAllCredentialsSchema, async ({ input, person, actor }) => {
  const { prefixes } = await db().$transaction((tx) => revokeAllCredentials(tx, person, actor, input));
  refresh();
  return {
    message: prefixes.length === 0 ? "No key was left to revoke; nothing changed." : `${prefixes.length} key(s) revoked. The agent cannot call Mandate until it gets a new key.`,
  };
});
