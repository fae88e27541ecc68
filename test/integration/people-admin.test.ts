// People management: inviting (a one-time password shown once, or none for single sign-on),
// roles, disabling and password resets — audited before → after in the same transaction — and
// the two rules that keep the console governable: nobody changes their own roles or disables
// themselves, and there is always an enabled admin, even when two admins act at the same time.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { AppError } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";
import { invitePerson } from "@/lib/people/invite-person";
import { resetPersonPassword } from "@/lib/people/reset-person-password";
import { setPersonDisabled } from "@/lib/people/set-person-disabled";
import { setPersonRoles } from "@/lib/people/set-person-roles";
import { adminOnlyMatrix, actorOf, type AdminCase, fieldPaths, lastAudit, makePerson, refused } from "./admin-fixtures";

const OIDC = { MANDATE_OIDC_ISSUER: "https://login.example.com", MANDATE_OIDC_CLIENT_ID: "mandate", MANDATE_OIDC_CLIENT_SECRET: "s3cret" };
const NO_OIDC = {};
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let admin: Caller;
let seq = 0;
const email = () => `invitee${(seq += 1)}@example.com`;

beforeAll(async () => {
  admin = await makePerson(["admin"]);
});

async function rolesOf(id: string) {
  return (await db().person.findUniqueOrThrow({ where: { id }, select: { roles: true } })).roles;
}

async function enabledAdmins() {
  return db().person.count({ where: { roles: { has: "admin" }, disabled: false } });
}

describe("inviting a person", () => {
  it("creates them with their roles and a one-time password returned once, stored only as a hash and never audited", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: " New.Person@Example.com ", name: "New Person", roles: ["approver"] }, NO_OIDC);
    expect(person).toMatchObject({ email: "new.person@example.com", name: "New Person", roles: ["approver"] });
    expect(initialPassword).toEqual(expect.any(String));
    const stored = await db().person.findUniqueOrThrow({ where: { id: person.id }, omit: { passwordHash: false } });
    expect(stored.passwordHash).not.toContain(initialPassword!);
    expect(await verifyPassword(initialPassword!, stored.passwordHash)).toBe(true);
    const event = await lastAudit("person.created", person.id);
    expect(event).toMatchObject({ actorPersonId: admin.id, data: { email: "new.person@example.com", roles: ["approver"], withPassword: true } });
    expect(JSON.stringify([event.data, event.reasoning])).not.toContain(initialPassword!);
  });

  it("adds a single-sign-on-only person without any password when OIDC is configured", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "SSO Person", roles: [], signIn: "sso" }, OIDC);
    expect(initialPassword).toBeNull();
    expect((await db().person.findUniqueOrThrow({ where: { id: person.id }, omit: { passwordHash: false } })).passwordHash).toBeNull();
    expect((await lastAudit("person.created", person.id)).data).toMatchObject({ withPassword: false });
  });

  it("refuses a single-sign-on-only person when OIDC is not configured (422 on signIn), writing nothing", async () => {
    const error = await refused("unprocessable", () => invitePerson(admin, actorOf(admin), { email: email(), name: "SSO", signIn: "sso" }, NO_OIDC));
    expect(fieldPaths(error)).toEqual(["signIn"]);
  });

  it.each([
    ["a malformed e-mail", { email: "nope", name: "X" }, "email"],
    ["an empty name", { email: "ok@example.com", name: " " }, "name"],
    ["an unknown role", { email: "ok@example.com", name: "X", roles: ["owner"] }, "roles.0"],
    ["an unknown sign-in method", { email: "ok@example.com", name: "X", signIn: "magic-link" }, "signIn"],
    ["a password chosen by the admin", { email: "ok@example.com", name: "X", password: "Chosen-Pass-123" }, "(root)"],
  ])("refuses %s (400), writing nothing", async (_label, input, path) => {
    const error = await refused("validation_failed", () => invitePerson(admin, actorOf(admin), input as never, NO_OIDC));
    expect(fieldPaths(error)).toContain(path);
  });

  it("refuses an e-mail that already has an account (409), writing nothing", async () => {
    const existing = await makePerson([]);
    await refused("conflict", () => invitePerson(admin, actorOf(admin), { email: existing.email.toUpperCase(), name: "Again" }, NO_OIDC));
  });
});

describe("roles", () => {
  it("sets exactly the given roles and audits before → after; the same roles again write nothing", async () => {
    const target = await makePerson(["approver"]);
    const result = await setPersonRoles(admin, actorOf(admin), { personId: target.id, roles: ["auditor", "approver", "auditor"] });
    expect(result.roles).toEqual(["approver", "auditor"]);
    expect(await rolesOf(target.id)).toEqual(["approver", "auditor"]);
    expect((await lastAudit("person.roles_changed", target.id)).data).toMatchObject({ before: { roles: ["approver"] }, after: { roles: ["approver", "auditor"] } });
    const auditBefore = await db().auditEvent.count();
    await setPersonRoles(admin, actorOf(admin), { personId: target.id, roles: ["auditor", "approver"] });
    expect(await db().auditEvent.count()).toBe(auditBefore);
  });

  it("keeps the roles when the audit row cannot be written (the change does not happen without it)", async () => {
    const target = await makePerson(["approver"]);
    const ghost = { type: "person" as const, personId: UNKNOWN_ID };
    await expect(setPersonRoles(admin, ghost, { personId: target.id, roles: ["auditor"] })).rejects.toThrow();
    expect(await rolesOf(target.id)).toEqual(["approver"]);
  });

  it("makes another person an admin, and takes it away again while another admin remains", async () => {
    const target = await makePerson([]);
    await setPersonRoles(admin, actorOf(admin), { personId: target.id, roles: ["admin"] });
    await setPersonRoles(admin, actorOf(admin), { personId: target.id, roles: [] });
    expect(await rolesOf(target.id)).toEqual([]);
  });

  it("refuses anyone changing their own roles, even to add one (403), writing nothing", async () => {
    await refused("forbidden", () => setPersonRoles(admin, actorOf(admin), { personId: admin.id, roles: ["admin", "approver"] }));
    await refused("forbidden", () => setPersonRoles(admin, actorOf(admin), { personId: admin.id, roles: [] }));
  });

  it("refuses to remove the last enabled admin (409), even for a caller whose session still says admin", async () => {
    // The caller was demoted after signing in; their session object still claims admin.
    const stale = await makePerson([]);
    const staleCaller: Caller = { id: stale.id, roles: ["admin"] };
    await db().person.updateMany({ where: { id: { not: admin.id }, roles: { has: "admin" } }, data: { disabled: true } });
    expect(await enabledAdmins()).toBe(1);
    const error = await refused("conflict", () => setPersonRoles(staleCaller, actorOf(staleCaller), { personId: admin.id, roles: ["approver"] }));
    expect(error.message).toMatch(/last enabled admin/);
    await refused("conflict", () => setPersonDisabled(staleCaller, actorOf(staleCaller), { personId: admin.id, disabled: true }));
  });

  it("refuses a caller who is no longer an enabled admin (403), though their session says admin", async () => {
    const stale = await makePerson(["admin"], { disabled: true });
    const target = await makePerson(["approver"]);
    await refused("forbidden", () => setPersonRoles({ id: stale.id, roles: ["admin"] }, actorOf(stale), { personId: target.id, roles: [] }));
  });

  it("refuses malformed roles (400) and an unknown person (404), writing nothing", async () => {
    const target = await makePerson([]);
    expect(fieldPaths(await refused("validation_failed", () => setPersonRoles(admin, actorOf(admin), { personId: target.id, roles: ["root" as never] })))).toContain("roles.0");
    await refused("validation_failed", () => setPersonRoles(admin, actorOf(admin), { personId: "nope", roles: [] }));
    await refused("not_found", () => setPersonRoles(admin, actorOf(admin), { personId: UNKNOWN_ID, roles: [] }));
  });
});

describe("disabling, enabling and resetting passwords", () => {
  it("disables and re-enables an account, each audited before → after", async () => {
    const target = await makePerson(["approver"]);
    await setPersonDisabled(admin, actorOf(admin), { personId: target.id, disabled: true });
    expect((await db().person.findUniqueOrThrow({ where: { id: target.id } })).disabled).toBe(true);
    expect((await lastAudit("person.disabled", target.id)).data).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
    await setPersonDisabled(admin, actorOf(admin), { personId: target.id, disabled: false });
    expect((await lastAudit("person.enabled", target.id)).data).toMatchObject({ before: { disabled: true }, after: { disabled: false } });
  });

  it("refuses anyone disabling themselves (403), writing nothing", async () => {
    await refused("forbidden", () => setPersonDisabled(admin, actorOf(admin), { personId: admin.id, disabled: true }));
  });

  it("resets a password: a new one shown once, the old one dead, the lock and failure count cleared, audited without it", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "Locked Out" }, NO_OIDC);
    await db().person.update({ where: { id: person.id }, data: { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 600_000), lastFailedAt: new Date() } });
    const reset = await resetPersonPassword(admin, actorOf(admin), { personId: person.id });
    expect(reset.password).not.toBe(initialPassword);
    const stored = await db().person.findUniqueOrThrow({ where: { id: person.id }, omit: { passwordHash: false } });
    expect(stored).toMatchObject({ failedLoginCount: 0, lockedUntil: null, lastFailedAt: null });
    expect(await verifyPassword(reset.password, stored.passwordHash)).toBe(true);
    expect(await verifyPassword(initialPassword!, stored.passwordHash)).toBe(false);
    const event = await lastAudit("person.password_reset", person.id);
    expect(event.data).toMatchObject({ before: { hadPassword: true, failedLoginCount: 5, locked: true }, after: { hadPassword: true, failedLoginCount: 0, locked: false } });
    expect(JSON.stringify([event.data, event.reasoning])).not.toContain(reset.password);
  });

  it("refuses an unknown person (404), writing nothing", async () => {
    await refused("not_found", () => resetPersonPassword(admin, actorOf(admin), { personId: UNKNOWN_ID }));
    await refused("not_found", () => setPersonDisabled(admin, actorOf(admin), { personId: UNKNOWN_ID, disabled: true }));
  });
});

describe("role matrix: only admins manage people (DESIGN.md section 3)", () => {
  const someone = async () => (await makePerson(["approver"])).id;
  const cases: AdminCase[] = [
    { useCase: "invitePerson", prepare: async () => email(), call: (caller, address) => invitePerson(caller, actorOf(caller), { email: address, name: "Invitee" }, NO_OIDC) },
    { useCase: "setPersonRoles", prepare: someone, call: (caller, id) => setPersonRoles(caller, actorOf(caller), { personId: id, roles: ["auditor"] }) },
    { useCase: "setPersonDisabled (disable)", prepare: someone, call: (caller, id) => setPersonDisabled(caller, actorOf(caller), { personId: id, disabled: true }) },
    {
      useCase: "setPersonDisabled (enable)",
      prepare: async () => (await makePerson(["approver"], { disabled: true })).id,
      call: (caller, id) => setPersonDisabled(caller, actorOf(caller), { personId: id, disabled: false }),
    },
    { useCase: "resetPersonPassword", prepare: someone, call: (caller, id) => resetPersonPassword(caller, actorOf(caller), { personId: id }) },
  ];

  adminOnlyMatrix(cases);
});

describe("there is always an enabled admin, also under concurrency", () => {
  // Each case starts from exactly two enabled admins, A and B, who act against each other at once.
  async function twoAdmins() {
    await db().person.updateMany({ where: { roles: { has: "admin" }, disabled: false }, data: { disabled: true } });
    const a = await makePerson(["admin"]);
    const b = await makePerson(["admin"]);
    expect(await enabledAdmins()).toBe(2);
    return { a, b };
  }

  afterEach(async () => {
    // Later tests need the shared admin back.
    await db().person.update({ where: { id: admin.id }, data: { disabled: false } });
  });

  const moves = {
    demote: (by: Caller, target: Caller) => setPersonRoles(by, actorOf(by), { personId: target.id, roles: ["approver"] }),
    disable: (by: Caller, target: Caller) => setPersonDisabled(by, actorOf(by), { personId: target.id, disabled: true }),
  };

  for (const [first, second] of [["demote", "demote"], ["disable", "disable"], ["demote", "disable"]] as const) {
    it(`two admins who ${first} and ${second} each other at the same moment: exactly one succeeds (10 rounds)`, async () => {
      for (let round = 0; round < 10; round += 1) {
        const { a, b } = await twoAdmins();
        const auditBefore = await db().auditEvent.count();
        const results = await Promise.allSettled([moves[first](a, b), moves[second](b, a)]);
        const fulfilled = results.filter((result) => result.status === "fulfilled");
        const rejected = results.flatMap((result) => (result.status === "rejected" ? [result.reason as AppError] : []));
        expect(fulfilled).toHaveLength(1);
        expect(rejected[0]).toBeInstanceOf(AppError);
        expect(rejected[0]?.code).toBe("conflict");
        expect(await enabledAdmins()).toBe(1);
        expect(await db().auditEvent.count()).toBe(auditBefore + 1);
      }
    });
  }

  it("a change waits for a concurrent one holding the admin rows, then re-checks against its result", async () => {
    const { a, b } = await twoAdmins();
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      // Someone else is demoting B (the caller below) and has not committed yet.
      await client.query(`UPDATE person SET roles = '{}' WHERE id = $1`, [b.id]);
      let settled = false;
      const pending = moves.demote(b, a).finally(() => {
        settled = true;
      });
      pending.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(settled).toBe(false);
      await client.query("COMMIT");
      const error = await pending.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: "conflict" });
      expect(await rolesOf(a.id)).toEqual(["admin"]);
      expect(await enabledAdmins()).toBe(1);
    } finally {
      client.release();
    }
  });
});
