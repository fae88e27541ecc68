// Imports an AgentList document (lib/agents/agent-document.ts): validates all of it against the
// catalog and the people, computes a diff per agent (create / update / unchanged; lines compared
// by position), and — unless it is a dry run — applies it in ONE transaction with an audit row
// per changed agent and one for the import. New agents start as draft / intern; status,
// maturity and keys are never imported. Admin only. `expectedDiffHash` lets a person apply
// exactly the changes they were shown: if anything moved since, nothing is written.
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { parseAgentDocument, type AgentDocument, type AgentSpec } from "@/lib/agents/agent-document";
import { loadStoredAgents, type StoredAgent } from "@/lib/agents/export-agents";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db, type Db, type Tx } from "@/lib/db/client";
import { notifyChange } from "@/lib/db/notify";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError, fieldsFromZod, type InvalidField } from "@/lib/http/errors";
import { can } from "@/lib/people/capabilities";
import { permissionLineSchema, resolveLineActions, type PermissionLine } from "@/lib/permissions/line-schema";

export const importAgentsSchema = z.object({
  text: z.string().min(1, "Paste or upload a document."),
  format: z.enum(["yaml", "json"]).optional(),
  dryRun: z.boolean().default(true),
  expectedDiffHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type ImportAgentsInput = z.input<typeof importAgentsSchema>;

const FIELDS = ["name", "purpose", "environment", "owners", "technicalOwner"] as const;
type Field = (typeof FIELDS)[number];

export interface FieldChange {
  field: Field;
  before: string | string[] | null;
  after: string | string[] | null;
}
export interface LineChange {
  /** 0-based position in the list. */
  position: number;
  change: "added" | "removed" | "changed";
  before?: PermissionLine;
  after?: PermissionLine;
}
export interface AgentDiff {
  slug: string;
  change: "create" | "update" | "unchanged";
  fields: FieldChange[];
  lines: LineChange[];
}
export interface ImportResult {
  applied: boolean;
  diffHash: string;
  agents: AgentDiff[];
  summary: { create: number; update: number; unchanged: number };
}

interface Planned {
  diff: AgentDiff;
  spec: AgentSpec;
  stored?: StoredAgent;
  actionIds: string[];
  ownerIds: string[];
  technicalOwnerId: string | null;
}

type Person = { id: string; roles: readonly Role[] };

export async function importAgents(person: Person, actor: Actor, input: ImportAgentsInput): Promise<ImportResult> {
  if (!can(person.roles, "agents.manage")) throw new AppError("forbidden", "Only administrators may import agents.");
  const parsed = importAgentsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The import is not valid.", fieldsFromZod(parsed.error.issues));
  const { text, format, dryRun, expectedDiffHash } = parsed.data;
  const document = parseAgentDocument(text, format);

  if (dryRun) return result(await plan(db(), document), false);

  return db().$transaction(
    async (tx) => {
      // Lock the agents this document touches, so the diff checked is the diff applied.
      const slugs = document.agents.map((agent) => agent.slug);
      await tx.$queryRaw`select id from agent where slug = any(${slugs}::text[]) order by id for update`;
      const planned = await plan(tx, document);
      const outcome = result(planned, true);
      if (expectedDiffHash && expectedDiffHash !== outcome.diffHash) {
        throw new AppError("conflict", "The changes are no longer the ones shown: the agents changed since. Review the new changes and apply again.");
      }
      for (const item of planned) await apply(tx, person, actor, item);
      await recordAudit(tx, actor, {
        type: "agents.imported",
        subjectType: "agent_import",
        subjectId: outcome.diffHash,
        data: {
          diffHash: outcome.diffHash,
          summary: { ...outcome.summary },
          created: slugsWith(planned, "create"),
          updated: slugsWith(planned, "update"),
          unchanged: slugsWith(planned, "unchanged"),
        },
      });
      return outcome;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

async function plan(client: Db | Tx, document: AgentDocument): Promise<Planned[]> {
  const slugs = document.agents.map((agent) => agent.slug);
  const stored = new Map((await loadStoredAgents(client, slugs)).map((agent) => [agent.spec.slug, agent]));
  const emails = [...new Set(document.agents.flatMap((agent) => [...agent.owners, ...(agent.technicalOwner ? [agent.technicalOwner] : [])]))];
  const people = new Map(
    (await client.person.findMany({ where: { email: { in: emails } }, select: { id: true, email: true, disabled: true } })).map((p) => [p.email, p]),
  );
  const problems: InvalidField[] = [];
  // A disabled person may stay where they already are (so an export always re-imports), not be added.
  const personId = (email: string, path: string, already: boolean): string => {
    const found = people.get(email);
    if (!found) problems.push({ path, message: `Nobody in Mandate has the e-mail ${email}.` });
    else if (found.disabled && !already) problems.push({ path, message: `${email} is disabled and cannot be made an owner.` });
    return found?.id ?? "";
  };

  const planned: Planned[] = [];
  for (const [index, spec] of document.agents.entries()) {
    const at = `agents.${index}`;
    const current = stored.get(spec.slug);
    const ownerIds = spec.owners.map((email, i) => personId(email, `${at}.owners.${i}`, current?.spec.owners.includes(email) ?? false));
    const technicalOwnerId = spec.technicalOwner
      ? personId(spec.technicalOwner, `${at}.technicalOwner`, current?.spec.technicalOwner === spec.technicalOwner)
      : null;
    if (spec.technicalOwner && spec.owners.includes(spec.technicalOwner)) {
      problems.push({ path: `${at}.technicalOwner`, message: "The technical owner must be someone other than the business owners." });
    }
    let actionIds: string[] = [];
    try {
      actionIds = (await resolveLineActions(client, spec.permissions, `${at}.permissions`)).map((line) => line.actionId);
    } catch (error) {
      if (!(error instanceof AppError) || !error.fields) throw error;
      problems.push(...error.fields);
    }
    const diff = diffAgent(spec, current);
    if (current?.status === "retired" && diff.change !== "unchanged") {
      problems.push({ path: `${at}.slug`, message: `${spec.slug} is retired; a retired agent's registration cannot change.` });
    }
    planned.push({ diff, spec, stored: current, actionIds, ownerIds, technicalOwnerId });
  }
  if (problems.length > 0) throw new AppError("unprocessable", "The document names people or actions Mandate cannot use; nothing was imported.", problems);
  return planned;
}

function diffAgent(spec: AgentSpec, stored: StoredAgent | undefined): AgentDiff {
  const after = { name: spec.name, purpose: spec.purpose, environment: spec.environment, owners: [...spec.owners].sort(), technicalOwner: spec.technicalOwner };
  const before = stored ? { ...stored.spec, owners: [...stored.spec.owners].sort() } : null;
  const fields: FieldChange[] = FIELDS.filter((field) => !before || canonical(before[field]) !== canonical(after[field])).map((field) => ({
    field,
    before: before ? before[field] : null,
    after: after[field],
  }));
  const old = (stored?.spec.permissions ?? []).map(normalLine);
  const lines: LineChange[] = [];
  for (let position = 0; position < Math.max(old.length, spec.permissions.length); position += 1) {
    const was = old[position];
    const now = spec.permissions[position];
    if (!was && now) lines.push({ position, change: "added", after: now });
    else if (was && !now) lines.push({ position, change: "removed", before: was });
    else if (was && now && canonical(was) !== canonical(now)) lines.push({ position, change: "changed", before: was, after: now });
  }
  const change = !stored ? "create" : fields.length > 0 || lines.length > 0 ? "update" : "unchanged";
  return { slug: spec.slug, change, fields, lines };
}

/** A stored line as the schema reads it (defaults filled in), so equal lines compare equal. */
function normalLine(line: unknown): PermissionLine {
  const parsed = permissionLineSchema.safeParse(line);
  return parsed.success ? parsed.data : (line as PermissionLine);
}

async function apply(tx: Tx, person: Person, actor: Actor, item: Planned): Promise<void> {
  const { diff, spec, stored } = item;
  if (diff.change === "unchanged") return;
  const lineData = (position: number): Prisma.PermissionCreateManyAgentInput & { actionId: string } => {
    const line = spec.permissions[position] as PermissionLine;
    return {
      actionId: item.actionIds[position] as string,
      position,
      effect: line.effect,
      conditions: line.conditions ? (line.conditions as Prisma.InputJsonValue) : Prisma.DbNull,
      onConditionFail: line.onConditionFail,
      rateLimitPerMinute: line.rateLimitPerMinute ?? null,
      rateLimitPerHour: line.rateLimitPerHour ?? null,
      justification: line.justification,
      addedById: person.id,
    };
  };

  let agentId: string;
  let listVersion: { before: number; after: number } | undefined;
  if (!stored) {
    agentId = await createAgent(tx, person, item, spec.permissions.map((_, position) => lineData(position)));
  } else {
    agentId = stored.id;
    const listChanged = diff.lines.length > 0;
    await tx.agent.update({
      where: { id: agentId },
      data: {
        name: spec.name,
        purpose: spec.purpose,
        environment: spec.environment,
        technicalOwnerId: item.technicalOwnerId,
        ...(listChanged ? { listVersion: { increment: 1 } } : {}),
      },
    });
    if (diff.fields.some((field) => field.field === "owners")) {
      await tx.agentOwner.deleteMany({ where: { agentId, personId: { notIn: item.ownerIds } } });
      await tx.agentOwner.createMany({ data: item.ownerIds.map((personId) => ({ agentId, personId })), skipDuplicates: true });
    }
    for (const line of diff.lines) {
      const id = stored.lineIds[line.position];
      if (line.change === "removed") await tx.permission.delete({ where: { id } });
      else if (line.change === "changed") await tx.permission.update({ where: { id }, data: lineData(line.position) });
      else await tx.permission.create({ data: { agentId, ...lineData(line.position) } });
    }
    // Unchanged lines keep their rows (and who added them); only their positions are made exact.
    for (const [position, id] of stored.lineIds.entries()) {
      if (position < spec.permissions.length) await tx.permission.updateMany({ where: { id, NOT: { position } }, data: { position } });
    }
    if (listChanged) listVersion = { before: stored.listVersion, after: stored.listVersion + 1 };
  }

  // Delivered at commit, for instances caching agents and lists.
  await notifyChange(tx, { kind: "agent", id: agentId, agentId });
  if (listVersion) await notifyChange(tx, { kind: "list", agentId });
  await recordAudit(tx, actor, {
    type: "agent.imported",
    agentId,
    subjectType: "agent",
    subjectId: agentId,
    data: json({
      change: diff.change,
      before: Object.fromEntries(diff.fields.map((field) => [field.field, field.before])),
      after: Object.fromEntries(diff.fields.map((field) => [field.field, field.after])),
      lines: diff.lines,
      ...(listVersion ? { listVersion } : {}),
    }),
  });
}

async function createAgent(tx: Tx, person: Person, item: Planned, lines: Prisma.PermissionCreateManyAgentInput[]): Promise<string> {
  const { spec } = item;
  try {
    const created = await tx.agent.create({
      data: {
        slug: spec.slug,
        name: spec.name,
        purpose: spec.purpose,
        environment: spec.environment,
        status: "draft",
        maturity: "intern",
        deployedById: person.id,
        technicalOwnerId: item.technicalOwnerId,
        owners: { create: item.ownerIds.map((personId) => ({ personId })) },
        permissions: { createMany: { data: lines } },
      },
      select: { id: true },
    });
    return created.id;
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") throw new AppError("conflict", `An agent with the slug ${spec.slug} was registered meanwhile.`);
    throw error;
  }
}

function result(planned: Planned[], applied: boolean): ImportResult {
  const agents = planned.map((item) => item.diff);
  const count = (change: AgentDiff["change"]) => agents.filter((agent) => agent.change === change).length;
  return {
    applied,
    diffHash: createHash("sha256").update(canonical(agents)).digest("hex"),
    agents,
    summary: { create: count("create"), update: count("update"), unchanged: count("unchanged") },
  };
}

const slugsWith = (planned: Planned[], change: AgentDiff["change"]) => planned.filter((item) => item.diff.change === change).map((item) => item.spec.slug);

/** JSON with sorted keys and no undefined: equal values give equal text (diffs, hashes). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
