import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { admitOidcIdentity, personIdForOidcSubject } from "@/lib/auth/oidc";

async function createPerson(data: { disabled?: boolean; oidcSubject?: string } = {}) {
  return db().person.create({ data: { email: `sso-${randomUUID()}@example.com`, name: "SSO Person", ...data } });
}

const lastAudit = (personId: string) => db().auditEvent.findFirst({ where: { subjectId: personId }, orderBy: { id: "desc" } });

describe("admitOidcIdentity", () => {
  it("admits an existing person by verified e-mail, links the subject and audits it", async () => {
    const person = await createPerson();
    const subject = randomUUID();
    const admitted = await admitOidcIdentity(subject, { sub: subject, email: person.email.toUpperCase(), email_verified: true }, { ip: "198.51.100.4" });
    expect(admitted).toBe(true);
    expect(await db().person.findUnique({ where: { id: person.id }, select: { oidcSubject: true } })).toEqual({ oidcSubject: subject });
    expect(await personIdForOidcSubject(subject)).toBe(person.id);
    expect(await lastAudit(person.id)).toMatchObject({ type: "person.signed_in", ip: "198.51.100.4", data: { method: "oidc", linked: true } });
  });

  it("admits by a linked subject even when the e-mail claim changed", async () => {
    const subject = randomUUID();
    const person = await createPerson({ oidcSubject: subject });
    expect(await admitOidcIdentity(subject, { sub: subject, email: "renamed@example.com" })).toBe(true);
    expect((await lastAudit(person.id))?.type).toBe("person.signed_in");
  });

  it("refuses an unverified e-mail claim", async () => {
    const person = await createPerson();
    const subject = randomUUID();
    expect(await admitOidcIdentity(subject, { sub: subject, email: person.email, email_verified: false })).toBe(false);
    expect(await admitOidcIdentity(subject, { sub: subject, email: person.email })).toBe(false);
    expect((await db().person.findUniqueOrThrow({ where: { id: person.id } })).oidcSubject).toBeNull();
  });

  it("refuses someone with no person and never creates one", async () => {
    const before = await db().person.count();
    const subject = randomUUID();
    expect(await admitOidcIdentity(subject, { sub: subject, email: `stranger-${subject}@example.com`, email_verified: "true" })).toBe(false);
    expect(await db().person.count()).toBe(before);
    const audit = await db().auditEvent.findFirst({ where: { data: { path: ["subject"], equals: subject } } });
    expect(audit).toMatchObject({ type: "person.sign_in_failed", actorType: "system", data: { reason: "oidc_no_person" } });
  });

  it("refuses a person linked to another identity, and a disabled person", async () => {
    const linked = await createPerson({ oidcSubject: randomUUID() });
    const intruder = randomUUID();
    expect(await admitOidcIdentity(intruder, { sub: intruder, email: linked.email, email_verified: true })).toBe(false);
    expect(await lastAudit(linked.id)).toMatchObject({ type: "person.sign_in_failed", data: { reason: "oidc_subject_mismatch" } });

    const disabled = await createPerson({ disabled: true });
    const subject = randomUUID();
    expect(await admitOidcIdentity(subject, { sub: subject, email: disabled.email, email_verified: true })).toBe(false);
    expect(await lastAudit(disabled.id)).toMatchObject({ type: "person.sign_in_failed", data: { reason: "disabled" } });
    expect((await db().person.findUniqueOrThrow({ where: { id: disabled.id } })).oidcSubject).toBeNull();
  });
});
