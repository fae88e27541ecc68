// Seeds a demo organisation in one transaction: people in every role (random passwords, shown
// once), a catalog, checkpoint policies, five agents at different stages with written lists,
// agent keys, and a week of decisions, checkpoints, drills and alerts with their audit trail.
// People and keys go through the same use cases as the console; the history is bulk-inserted.
import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { generatePassword } from "@/lib/auth/password";
import { createCredential } from "@/lib/credentials/create-credential";
import type { Db, Tx } from "@/lib/db/client";
import { buildOrganisation, type PersonIds } from "@/lib/demo/build-organisation";
import { buildAlerts, buildCheckpoints } from "@/lib/demo/build-followups";
import { buildHistory } from "@/lib/demo/build-history";
import { DEMO_AGENTS } from "@/lib/demo/demo-agents";
import { DEMO_CATALOG, DEMO_MARKER_EMAIL, DEMO_PEOPLE, DEMO_POLICIES } from "@/lib/demo/demo-org";
import { historyRows } from "@/lib/demo/history-rows";
import { createRng } from "@/lib/demo/prng";
import { AppError } from "@/lib/http/errors";
import { createPerson } from "@/lib/people/create-person";

export interface DemoSeedResult {
  people: Array<{ role: string; email: string; name: string; password: string }>;
  agentKeys: Array<{ agent: string; key: string; label: string }>;
}

const DEMO_ACTOR: Actor = { type: "system", via: "demo" };
const SEED = 20_260_101;
const DAY = 86_400_000;

export async function seedDemo(client: Db, options: { log?: (line: string) => void; now?: Date } = {}): Promise<DemoSeedResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const started = Date.now();
  try {
    const result = await client.$transaction(
      async (tx) => {
        await refuseIfPresent(tx);
        const rng = createRng(SEED);

        log("Demo: people …");
        const people: DemoSeedResult["people"] = [];
        const ids = {} as PersonIds;
        for (const person of DEMO_PEOPLE) {
          const password = generatePassword();
          const created = await createPerson(tx, DEMO_ACTOR, { email: person.email, name: person.name, roles: person.roles, password });
          ids[person.key] = created.id;
          people.push({ role: person.role, email: created.email, name: created.name, password });
        }

        log("Demo: catalog, policies and agents …");
        const org = buildOrganisation(now, ids, rng);
        await tx.system.createMany({ data: org.systems });
        await tx.action.createMany({ data: org.actions });
        await tx.globalPolicy.createMany({ data: org.policyRows });

        const decisions = buildHistory({
          now,
          rng,
          agents: org.agents.map((agent) => ({ id: agent.id, slug: agent.spec.slug, maturity: agent.spec.maturity, lines: agent.lines })),
          categories: org.categories,
          policies: org.policies,
        });
        const lastSeen = new Map<string, Date>();
        for (const decision of decisions) lastSeen.set(decision.agentId, decision.createdAt);

        await tx.agent.createMany({
          data: org.agents.map(({ id, spec, createdAt, activatedAt }) => ({
            id,
            slug: spec.slug,
            name: spec.name,
            purpose: spec.purpose,
            environment: spec.environment,
            status: spec.status,
            maturity: spec.maturity,
            deployedById: ids[spec.deployedBy],
            technicalOwnerId: spec.technicalOwner ? ids[spec.technicalOwner] : null,
            stateVersion: activatedAt ? 2 : 1,
            stateReason: activatedAt ? "Activated after a passed kill drill." : null,
            stateChangedAt: activatedAt ?? createdAt,
            lastSeenAt: lastSeen.get(id) ?? null,
            createdAt,
            updatedAt: activatedAt ?? createdAt,
          })),
        });
        await tx.agentOwner.createMany({ data: org.owners });
        await tx.permission.createMany({ data: org.permissions });
        await tx.killDrill.createMany({ data: org.drills });
        await tx.stateChange.createMany({ data: org.stateChanges });

        log("Demo: agent keys …");
        const agentKeys: DemoSeedResult["agentKeys"] = [];
        for (const agent of org.agents) {
          for (const credential of agent.spec.credentials) {
            const expiresAt = credential.expiresInDays ? new Date(now.getTime() + credential.expiresInDays * DAY) : undefined;
            const { key } = await createCredential(tx, DEMO_ACTOR, { agentId: agent.id, label: credential.label, expiresAt });
            agentKeys.push({ agent: agent.spec.slug, key, label: credential.label });
          }
        }

        log(`Demo: ${decisions.length} decisions with their checkpoints and audit …`);
        const { checkpoints, approvals } = buildCheckpoints(decisions, rng, [ids.approverA, ids.approverB], randomUUID);
        const alerts = buildAlerts(decisions, { finance: ids.businessOwner, engineering: ids.technicalOwner });
        const history = historyRows(decisions, checkpoints, approvals, alerts);
        await tx.decision.createMany({ data: history.decisions });
        await tx.checkpoint.createMany({ data: history.checkpoints });
        await tx.approval.createMany({ data: history.approvals });
        await tx.alert.createMany({ data: history.alerts });

        // Appended in time order, so the audit trail reads as the history happened.
        const audit = [...org.audit, ...history.audit].sort((a, b) => new Date(a.createdAt ?? 0).getTime() - new Date(b.createdAt ?? 0).getTime());
        await tx.auditEvent.createMany({ data: audit });
        const counts = {
          people: people.length,
          systems: DEMO_CATALOG.length,
          policies: DEMO_POLICIES.length,
          agents: DEMO_AGENTS.length,
          credentials: agentKeys.length,
          decisions: decisions.length,
          checkpoints: checkpoints.length,
          alerts: alerts.length,
          auditEvents: audit.length,
        };
        await recordAudit(tx, DEMO_ACTOR, { type: "demo.seeded", data: counts });
        return { people, agentKeys };
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
    log(`Demo: done in ${Date.now() - started} ms.`);
    return result;
  } catch (error) {
    // Two seeds racing: the loser meets a unique index instead of the check below.
    if (isUniqueViolation(error)) throw new AppError("conflict", "A demo organisation is already being seeded in this database.");
    throw error;
  }
}

async function refuseIfPresent(tx: Tx) {
  const marker = await tx.person.findUnique({ where: { email: DEMO_MARKER_EMAIL }, select: { id: true } });
  if (marker) throw new AppError("conflict", `This database already has the demo organisation (${DEMO_MARKER_EMAIL} exists); it can be seeded only once.`);
  const systems = await tx.system.findMany({ where: { key: { in: DEMO_CATALOG.map((system) => system.key) } }, select: { key: true } });
  const agents = await tx.agent.findMany({ where: { slug: { in: DEMO_AGENTS.map((agent) => agent.slug) } }, select: { slug: true } });
  const policies = await tx.globalPolicy.findMany({ where: { name: { in: DEMO_POLICIES.map((policy) => policy.name) } }, select: { name: true } });
  const taken = [...systems.map((s) => `system ${s.key}`), ...agents.map((a) => `agent ${a.slug}`), ...policies.map((p) => `policy "${p.name}"`)];
  if (taken.length > 0) throw new AppError("conflict", `The demo needs names this database already uses (${taken.join(", ")}); seed it into an empty database.`);
  const people = await tx.person.findMany({ where: { email: { in: DEMO_PEOPLE.map((p) => p.email) } }, select: { email: true } });
  if (people.length > 0) throw new AppError("conflict", `The demo's people already exist (${people.map((p) => p.email).join(", ")}); seed it into an empty database.`);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}
