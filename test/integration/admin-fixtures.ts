// Shared by the catalog, policy and people admin tests: people for each role, row counts to
// prove a refusal wrote nothing, and the few rows (agent, list line, checkpoint) that make an
// action or policy "in use".
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { Actor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError, ERRORS, type ErrorCode } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";

export const ROLE_CASES = [
  { label: "admin", roles: ["admin"] },
  { label: "approver", roles: ["approver"] },
  { label: "auditor", roles: ["auditor"] },
  { label: "no roles", roles: [] },
] as const satisfies ReadonlyArray<{ label: string; roles: readonly Role[] }>;

export async function makePerson(roles: readonly Role[], overrides: { disabled?: boolean; email?: string } = {}): Promise<Caller & { email: string }> {
  const email = overrides.email ?? `p-${randomUUID().slice(0, 8)}@example.com`;
  const person = await db().person.create({
    data: { email, name: `Person ${email}`, roles: [...roles], disabled: overrides.disabled ?? false },
    select: { id: true, roles: true, email: true },
  });
  return person;
}

export function actorOf(person: Caller): Actor {
  return { type: "person", personId: person.id, requestId: randomUUID(), via: "console" };
}

export async function counts() {
  const [people, systems, actions, policies, permissions, audit] = await Promise.all([
    db().person.count(),
    db().system.count(),
    db().action.count(),
    db().globalPolicy.count(),
    db().permission.count(),
    db().auditEvent.count(),
  ]);
  // Roles and flags too: a refused role change or disable must leave them as they were.
  const state = await db().person.findMany({ orderBy: { id: "asc" }, select: { id: true, roles: true, disabled: true, passwordHash: true } });
  return { people, systems, actions, policies, permissions, audit, state: JSON.stringify(state) };
}

/** Runs a call that must be refused with `code`, and proves it wrote nothing. */
export async function refused(code: ErrorCode, call: () => Promise<unknown>): Promise<AppError> {
  const before = await counts();
  const error = await call().then(
    () => new Error("expected a refusal, but the call succeeded"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect({ code: (error as AppError).code, status: ERRORS[(error as AppError).code].status }).toEqual({ code, status: ERRORS[code].status });
  expect(await counts()).toEqual(before);
  return error as AppError;
}

export function fieldPaths(error: AppError): string[] {
  return (error.fields ?? []).map((field) => field.path);
}

export async function lastAudit(type: string, subjectId?: string) {
  return db().auditEvent.findFirstOrThrow({ where: { type, ...(subjectId ? { subjectId } : {}) }, orderBy: { id: "desc" } });
}

export async function makeAgentUsing(actionId: string, owner: Caller) {
  const agent = await db().agent.create({
    data: { slug: `agent-${randomUUID().slice(0, 8)}`, name: "Test agent", purpose: "Testing", deployedById: owner.id },
    select: { id: true },
  });
  await db().permission.create({ data: { agentId: agent.id, actionId, effect: "allow", justification: "test" } });
  return agent;
}

export async function makeCheckpoint(policyId: string, owner: Caller) {
  const agent = await db().agent.create({
    data: { slug: `agent-${randomUUID().slice(0, 8)}`, name: "Test agent", purpose: "Testing", deployedById: owner.id },
    select: { id: true },
  });
  const decision = await db().decision.create({
    data: { agentId: agent.id, action: "crm.contact.read", instruction: "test", effect: "pending", reason: "policy" },
    select: { id: true },
  });
  return db().checkpoint.create({
    data: { decisionId: decision.id, agentId: agent.id, digest: "x".repeat(64), policyId, expiresAt: new Date(Date.now() + 60_000) },
    select: { id: true },
  });
}

/** One use case of an admin-only area: how to make its subject, and how to act on it. */
export interface AdminCase {
  useCase: string;
  prepare: () => Promise<string>;
  call: (caller: Caller, ref: string) => Promise<unknown>;
}

/** The role matrix of DESIGN.md section 3 for admin-only use cases: admin acts (audited), every other role is refused. */
export function adminOnlyMatrix(cases: readonly AdminCase[]): void {
  for (const { useCase, prepare, call } of cases) {
    for (const { label, roles } of ROLE_CASES) {
      const allowed = label === "admin";
      it(`${useCase} × ${label} → ${allowed ? "allowed" : "forbidden"}`, async () => {
        const caller = await makePerson(roles);
        const ref = await prepare();
        if (allowed) {
          await call(caller, ref);
          expect(await db().auditEvent.count({ where: { actorPersonId: caller.id } })).toBe(1);
        } else {
          await refused("forbidden", () => call(caller, ref));
        }
      });
    }
  }
}
