// A person's own password: an admin-issued one (invitation, reset) must be replaced before the
// console admits them anywhere else, the operator's own first admin is not forced, and the change
// itself asks for the current password, refuses weak or repeated ones, and is audited without
// any secret. Through the real use cases and the real sign-in check.
import { beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import type { Caller } from "@/lib/people/assert-can";
import { changeOwnPassword } from "@/lib/people/change-own-password";
import { createPerson } from "@/lib/people/create-person";
import { invitePerson } from "@/lib/people/invite-person";
import { resetPersonPassword } from "@/lib/people/reset-person-password";
import { actorOf, makePerson } from "./admin-fixtures";

const NEW_PASSWORD = "Bright-otter-47-lanterns";
let admin: Caller;
let seq = 0;
const email = () => `own-password-${(seq += 1)}@example.com`;

beforeAll(async () => {
  admin = await makePerson(["admin"]);
});

const mustChange = async (id: string) => (await db().person.findUniqueOrThrow({ where: { id }, select: { mustChangePassword: true } })).mustChangePassword;

async function refusal(work: () => Promise<unknown>): Promise<AppError> {
  const error = await work().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("an admin-issued password", () => {
  it("must be replaced after an invitation and after a reset; the operator's own admin is not forced", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "Ivy Invitee", roles: ["approver"] }, {});
    expect(await mustChange(person.id)).toBe(true);
    const created = await db().auditEvent.findFirstOrThrow({ where: { type: "person.created", subjectId: person.id } });
    expect(created.data).toMatchObject({ withPassword: true, mustChangePassword: true });

    await changeOwnPassword(person, actorOf({ id: person.id, roles: ["approver"] }), { current: initialPassword, next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(await mustChange(person.id)).toBe(false);

    await resetPersonPassword(admin, actorOf(admin), { personId: person.id });
    expect(await mustChange(person.id)).toBe(true);

    const operator = await db().$transaction((tx) =>
      createPerson(tx, { type: "system", via: "cli" }, { email: email(), name: "Olive Operator", roles: ["admin"], password: NEW_PASSWORD }),
    );
    expect(await mustChange(operator.id)).toBe(false);
  });
});

describe("changing one's own password", () => {
  it("asks for the current password, refuses weak, mismatched and unchanged ones, and writes nothing then", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "Wes Weak", roles: [] }, {});
    const actor = actorOf({ id: person.id, roles: [] });
    const before = await db().person.findUniqueOrThrow({ where: { id: person.id }, select: { passwordHash: true } });

    const wrong = await refusal(() => changeOwnPassword(person, actor, { current: "not-it", next: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(wrong.fields?.map((field) => field.path)).toEqual(["current"]);
    expect(await db().auditEvent.count({ where: { type: "person.password_change_refused", subjectId: person.id } })).toBe(1);
    const weak = await refusal(() => changeOwnPassword(person, actor, { current: initialPassword!, next: "short", confirm: "short" }));
    expect(weak.fields?.map((field) => field.path)).toEqual(["next"]);
    const mismatch = await refusal(() => changeOwnPassword(person, actor, { current: initialPassword!, next: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` }));
    expect(mismatch.fields?.map((field) => field.path)).toEqual(["confirm"]);
    const same = await refusal(() => changeOwnPassword(person, actor, { current: initialPassword!, next: initialPassword!, confirm: initialPassword! }));
    expect(same.fields?.map((field) => field.path)).toEqual(["next"]);
    const extra = await refusal(() => changeOwnPassword(person, actor, { current: initialPassword!, next: NEW_PASSWORD, confirm: NEW_PASSWORD, mustChangePassword: false }));
    expect(extra.code).toBe("validation_failed");

    expect(await db().person.findUniqueOrThrow({ where: { id: person.id }, select: { passwordHash: true } })).toEqual(before);
    expect(await mustChange(person.id)).toBe(true);
    expect(await db().auditEvent.count({ where: { type: "person.password_changed", subjectId: person.id } })).toBe(0);
  });

  it("takes a good one: the old password stops working, the new one signs in, the audit holds no secret", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "Nia New", roles: ["auditor"] }, {});
    await changeOwnPassword(person, actorOf({ id: person.id, roles: ["auditor"] }), { current: initialPassword, next: NEW_PASSWORD, confirm: NEW_PASSWORD });

    expect((await authenticate({ email: person.email, password: initialPassword! })).ok).toBe(false);
    expect((await authenticate({ email: person.email, password: NEW_PASSWORD })).ok).toBe(true);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "person.password_changed", subjectId: person.id } });
    expect(audit).toMatchObject({ actorType: "person", actorPersonId: person.id, data: { before: { mustChangePassword: true }, after: { mustChangePassword: false } } });
    expect(JSON.stringify(audit.data)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit.data)).not.toContain(initialPassword!);
  });

  it("counts wrong current passwords toward the sign-in lock, together with wrong sign-ins", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "Gus Guess", roles: [] }, {});
    const actor = actorOf({ id: person.id, roles: [] });
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const guess = () => refusal(() => changeOwnPassword(person, actor, { current: "a-guess", next: NEW_PASSWORD, confirm: NEW_PASSWORD }, { sleep }));

    expect((await authenticate({ email: person.email, password: "a-guess" })).ok).toBe(false);
    for (let round = 0; round < 3; round += 1) expect((await guess()).message).toBe("That is not your current password.");
    // The fifth failure, counted across both doors, locks the account.
    const locked = await guess();
    expect(locked.fields?.[0]).toMatchObject({ path: "current", message: expect.stringMatching(/^Too many failed sign-ins/) });
    expect(waits.length).toBeGreaterThan(0);
    // Locked: even the right current password changes nothing, and sign-in is refused too.
    const right = await refusal(() => changeOwnPassword(person, actor, { current: initialPassword!, next: NEW_PASSWORD, confirm: NEW_PASSWORD }, { sleep }));
    expect(right.message).toMatch(/^Too many failed sign-ins/);
    expect(await authenticate({ email: person.email, password: initialPassword! })).toMatchObject({ ok: false, reason: "locked" });
    expect(await db().person.findUniqueOrThrow({ where: { id: person.id }, select: { failedLoginCount: true } })).toEqual({ failedLoginCount: 5 });
    const refused = await db().auditEvent.findMany({ where: { type: "person.password_change_refused", subjectId: person.id }, orderBy: { id: "asc" } });
    expect(refused.map((event) => (event.data as { reason: string }).reason)).toEqual([
      "wrong_current_password",
      "wrong_current_password",
      "wrong_current_password",
      "wrong_current_password",
      "locked",
    ]);
    expect(refused[3]!.data).toMatchObject({ consecutiveFailures: 5, locked: true });
  });

  it("clears the count when the current password is right", async () => {
    const { person, initialPassword } = await invitePerson(admin, actorOf(admin), { email: email(), name: "Rae Right", roles: [] }, {});
    const actor = actorOf({ id: person.id, roles: [] });
    await refusal(() => changeOwnPassword(person, actor, { current: "a-guess", next: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    await refusal(() => changeOwnPassword(person, actor, { current: "a-guess", next: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    await changeOwnPassword(person, actor, { current: initialPassword!, next: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(await db().person.findUniqueOrThrow({ where: { id: person.id }, select: { failedLoginCount: true } })).toEqual({ failedLoginCount: 0 });
  });

  it("has nothing to change for a single-sign-on person", async () => {
    const sso = await makePerson(["approver"]);
    await db().person.update({ where: { id: sso.id }, data: { passwordHash: null } });
    const error = await refusal(() => changeOwnPassword(sso, actorOf(sso), { current: "anything", next: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(error.code).toBe("conflict");
  });
});
