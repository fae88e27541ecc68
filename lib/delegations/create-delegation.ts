// POST /delegations: agent A lets agent B act for it on a narrowed set of actions until an
// expiry. A can only hand over what it may do itself right now (each action on its written list,
// with no "never" line), and when A itself acts under a delegation (`parentToken`), only a subset
// of that delegation, one level deeper, never outliving it. The engine re-judges the whole chain
// on every decision; these checks make a delegation that could never be used fail early.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { generateDelegationToken } from "@/lib/delegations/delegation-token";
import { loadDelegationChain } from "@/lib/delegations/load-delegation-chain";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { DEFAULT_MAX_DELEGATION_DEPTH } from "@/lib/permissions/delegation";

export interface CreateDelegationInput {
  /** The delegate: slug or id. */
  toAgent: string;
  actions: readonly string[];
  ttlSeconds: number;
  reasoning: Prisma.InputJsonObject;
  /** The token of the delegation the caller itself acts under, if any (an extension of the contract). */
  parentToken?: string;
}

export interface CreatedDelegation {
  delegationId: string;
  /** Shown once; only its hash is stored. */
  token: string;
  expiresAt: Date;
  toAgentId: string;
  actions: string[];
  depth: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function createDelegation(fromAgentId: string, actor: Actor, input: CreateDelegationInput, now: Date = new Date()): Promise<CreatedDelegation> {
  const actions = [...new Set(input.actions)];
  return db().$transaction(async (tx) => {
    const from = await tx.agent.findUnique({ where: { id: fromAgentId }, select: { id: true, slug: true, status: true } });
    if (!from) throw new AppError("not_found", "No such agent.");
    if (from.status !== "active") throw new AppError("forbidden", `A ${from.status} agent cannot delegate.`);

    const to = await findDelegate(tx, input.toAgent);
    if (!to) throw new AppError("unprocessable", "No agent with that slug or id.", [{ path: "toAgent", message: "Unknown agent." }]);
    if (to.id === from.id) throw new AppError("unprocessable", "An agent cannot delegate to itself.", [{ path: "toAgent", message: "Name another agent." }]);
    if (to.status !== "active") throw new AppError("conflict", `${to.slug} is ${to.status}; only an active agent can be delegated to.`, [{ path: "toAgent", message: `The agent is ${to.status}.` }]);

    await assertCatalogActions(tx, actions);
    await assertOwnActions(tx, from.id, actions);

    let expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
    let parent: { id: string; depth: number } | null = null;
    if (input.parentToken !== undefined) {
      const chain = await loadDelegationChain(input.parentToken, from.id, now, { client: tx });
      if ("deny" in chain) throw new AppError("forbidden", `The parent delegation cannot be used: ${chain.why}.`, [{ path: "parentToken", message: chain.deny }]);
      const leaf = chain.delegations.at(-1)!;
      // Decisions refuse a chain that passes through an agent twice (delegation_broken), so the
      // chain is refused here, where the delegating agent can still be told why.
      if (chain.delegations.some((delegation) => delegation.fromAgentId === to.id)) {
        throw new AppError("unprocessable", `${to.slug} is already in this delegation chain; a chain cannot pass through an agent twice.`, [
          { path: "toAgent", message: "This agent is already in the chain." },
        ]);
      }
      const outside = actions.filter((action) => !leaf.actions.includes(action));
      if (outside.length > 0) {
        throw new AppError("forbidden", "A delegation can only pass on actions its parent delegation includes.", outside.map((action) => ({ path: `actions.${actions.indexOf(action)}`, message: `${action} is not in the parent delegation.` })));
      }
      if (leaf.depth + 1 > DEFAULT_MAX_DELEGATION_DEPTH) {
        throw new AppError("unprocessable", `Delegation chains are at most ${DEFAULT_MAX_DELEGATION_DEPTH} deep.`, [{ path: "parentToken", message: "The chain is already as deep as allowed." }]);
      }
      // A child never outlives any delegation above it.
      const earliest = Math.min(...chain.delegations.map((delegation) => delegation.expiresAt.getTime()));
      if (earliest < expiresAt.getTime()) expiresAt = new Date(earliest);
      parent = { id: leaf.id, depth: leaf.depth };
    }

    const { token, tokenHash } = generateDelegationToken();
    const depth = parent ? parent.depth + 1 : 1;
    const created = await tx.delegation.create({
      data: { fromAgentId: from.id, toAgentId: to.id, parentDelegationId: parent?.id ?? null, actions, depth, tokenHash, reasoning: input.reasoning, expiresAt, createdAt: now },
      select: { id: true },
    });
    await recordAudit(tx, actor, {
      type: "delegation.created",
      agentId: from.id,
      subjectType: "delegation",
      subjectId: created.id,
      data: { after: { fromAgentId: from.id, toAgentId: to.id, toAgentSlug: to.slug, actions, depth, parentDelegationId: parent?.id ?? null, expiresAt: expiresAt.toISOString() } },
      reasoning: input.reasoning,
    });
    await notifyChange(tx, { kind: "delegation", id: created.id, agentId: from.id });
    return { delegationId: created.id, token, expiresAt, toAgentId: to.id, actions, depth };
  });
}

async function findDelegate(tx: Tx, ref: string) {
  const select = { id: true, slug: true, status: true } as const;
  const bySlug = await tx.agent.findUnique({ where: { slug: ref }, select });
  if (bySlug || !UUID.test(ref)) return bySlug;
  return tx.agent.findUnique({ where: { id: ref.toLowerCase() }, select });
}

async function assertCatalogActions(tx: Tx, actions: readonly string[]): Promise<void> {
  const known = new Set((await tx.action.findMany({ where: { key: { in: [...actions] } }, select: { key: true } })).map((action) => action.key));
  const unknown = actions.flatMap((action, index) => (known.has(action) ? [] : [{ path: `actions.${index}`, message: `${action} is not in the catalog.` }]));
  if (unknown.length > 0) throw new AppError("unprocessable", "Some actions are not in the catalog.", unknown);
}

/** Every action on the delegator's own list, with no "never" line (a deny line wins in the engine). */
async function assertOwnActions(tx: Tx, agentId: string, actions: readonly string[]): Promise<void> {
  const lines = await tx.permission.findMany({ where: { agentId, action: { key: { in: [...actions] } } }, select: { effect: true, action: { select: { key: true } } } });
  const refused = actions.flatMap((action, index) => {
    const own = lines.filter((line) => line.action.key === action);
    if (own.length === 0) return [{ path: `actions.${index}`, message: `${action} is not on your written list.` }];
    if (own.some((line) => line.effect === "deny")) return [{ path: `actions.${index}`, message: `Your written list says never for ${action}.` }];
    return [];
  });
  if (refused.length > 0) throw new AppError("forbidden", "An agent can only delegate actions it may do itself.", refused);
}
