// Registers an agent: identity, the people answerable for it and its first written list, always
// as a draft intern. Pass a transaction to compose it (the CLI issues the first key in the same one).
import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { assertCan, type Caller } from "@/lib/people/assert-can";
import { permissionLineSchema, resolveLineActions } from "@/lib/permissions/line-schema";
import { agentIdentitySchema, agentOwnersShape, TECHNICAL_OWNER_DIFFERS, technicalOwnerDiffers } from "@/lib/agents/agent-schema";
import { assertPeopleUsable, ownerRefs } from "@/lib/agents/assert-people";
import { isUniqueViolation } from "@/lib/agents/prisma-errors";

export const MAX_INITIAL_LINES = 200;

// Strict: a field it does not know (say, status: "active") is refused rather than quietly dropped.
export const registerAgentSchema = z
  .strictObject({
    ...agentIdentitySchema.shape,
    // Defaults to the registering admin.
    deployedById: z.uuid("Pick a person from the list.").optional(),
    ...agentOwnersShape,
    lines: z.array(permissionLineSchema).max(MAX_INITIAL_LINES, `Add at most ${MAX_INITIAL_LINES} lines here; import longer lists.`).default([]),
  })
  .refine(technicalOwnerDiffers, TECHNICAL_OWNER_DIFFERS);

export type RegisterAgentInput = z.input<typeof registerAgentSchema>;

export async function registerAgent(person: Caller, actor: Actor, input: unknown, tx?: Tx): Promise<{ id: string; slug: string }> {
  assertCan(person, "agents.manage");
  const parsed = registerAgentSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The agent is not valid.", fieldsFromZod(parsed.error.issues));
  const work = (client: Tx) => insertAgent(client, person, actor, parsed.data);
  return tx ? work(tx) : db().$transaction(work);
}

async function insertAgent(tx: Tx, person: Caller, actor: Actor, input: z.output<typeof registerAgentSchema>) {
  const { slug, name, purpose, environment, ownerIds, technicalOwnerId, lines } = input;
  const deployedById = input.deployedById ?? person.id;

  const taken = await tx.agent.findUnique({ where: { slug }, select: { id: true } });
  if (taken) throw slugTaken(slug);
  const people = await assertPeopleUsable(tx, [{ id: deployedById, path: "deployedById" }, ...ownerRefs(ownerIds, technicalOwnerId)]);
  const resolved = await resolveLineActions(tx, lines, "lines");

  const now = Date.now();
  let agent: { id: string; slug: string };
  try {
    agent = await tx.agent.create({
      data: {
        slug,
        name,
        purpose,
        environment,
        status: "draft",
        maturity: "intern",
        deployedById,
        technicalOwnerId,
        // A millisecond apart, so the owners list back in the order they were named.
        owners: { create: ownerIds.map((personId, index) => ({ personId, createdAt: new Date(now + index) })) },
      },
      select: { id: true, slug: true },
    });
  } catch (error) {
    // Two registrations of the same slug at once: the unique index decides.
    if (isUniqueViolation(error)) throw slugTaken(slug);
    throw error;
  }
  if (resolved.length > 0) {
    await tx.permission.createMany({
      data: resolved.map((line, position) => ({
        agentId: agent.id,
        actionId: line.actionId,
        position,
        effect: line.effect,
        conditions: line.conditions,
        onConditionFail: line.onConditionFail,
        rateLimitPerMinute: line.rateLimitPerMinute ?? null,
        rateLimitPerHour: line.rateLimitPerHour ?? null,
        justification: line.justification,
        addedById: person.id,
      })),
    });
  }

  // Delivered at commit, for instances caching agents and lists.
  await notifyChange(tx, { kind: "agent", id: agent.id, agentId: agent.id });
  const email = (id: string) => people.get(id)?.email ?? id;
  await recordAudit(tx, actor, {
    type: "agent.registered",
    agentId: agent.id,
    subjectType: "agent",
    subjectId: agent.id,
    data: {
      before: null,
      after: {
        slug,
        name,
        purpose,
        environment,
        status: "draft",
        maturity: "intern",
        deployedBy: email(deployedById),
        owners: ownerIds.map(email),
        technicalOwner: technicalOwnerId ? email(technicalOwnerId) : null,
        lines: lines.map(({ action, effect, conditions, onConditionFail, rateLimitPerMinute, rateLimitPerHour, justification }) => ({
          action,
          effect,
          conditions: conditions ?? null,
          onConditionFail,
          rateLimitPerMinute: rateLimitPerMinute ?? null,
          rateLimitPerHour: rateLimitPerHour ?? null,
          justification,
        })),
      },
    },
  });
  return agent;
}

function slugTaken(slug: string): AppError {
  return new AppError("conflict", `An agent with the slug "${slug}" already exists.`, [{ path: "slug", message: "This slug is taken." }]);
}
