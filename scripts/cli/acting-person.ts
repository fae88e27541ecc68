// `--as <e-mail>`: the person a changing CLI command acts as. They must exist and be enabled;
// their roles and per-agent rights are then checked by the use cases exactly as for a click, and
// the audit records the change as theirs, done through the CLI.
import { z } from "zod";
import type { Actor } from "@/lib/audit/record";
import type { Db, Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { UsageError, type Flags } from "@/scripts/cli/command";

const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** The --as address from the flags, checked before the database starts. */
export function asFlag(flags: Flags, command: string): string {
  const value = flags.as;
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`${command} needs --as <e-mail>: the person doing it, as in the console.`);
  const parsed = email.safeParse(value);
  if (!parsed.success) throw new UsageError(`--as must be an e-mail address (got "${value}").`);
  return parsed.data;
}

export async function actingPerson(
  client: Db | Tx,
  address: string,
): Promise<{ person: { id: string; roles: Role[] }; actor: Actor & { type: "person" } }> {
  const found = await client.person.findUnique({ where: { email: address }, select: { id: true, roles: true, disabled: true } });
  // One answer for unknown and disabled: the CLI is not a way to probe accounts.
  if (!found || found.disabled) throw new AppError("forbidden", `--as ${address}: no enabled person has this e-mail.`);
  return { person: { id: found.id, roles: found.roles }, actor: { type: "person", personId: found.id, via: "cli" } };
}

/** An agent's id by slug, or a clear not-found. */
export async function agentIdBySlug(client: Db | Tx, slug: string): Promise<string> {
  const agent = await client.agent.findUnique({ where: { slug }, select: { id: true } });
  if (!agent) throw new AppError("not_found", `No agent has the slug ${slug}.`);
  return agent.id;
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}
