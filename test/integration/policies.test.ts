// Global checkpoint policies: created, edited, switched off and on, deleted — each audited with
// before → after in the same transaction; every malformed policy refused with nothing written;
// and only admins may touch them.
import { beforeAll, describe, expect, it } from "vitest";
import { createAction } from "@/lib/catalog/create-action";
import { createPolicy } from "@/lib/catalog/create-policy";
import { createSystem } from "@/lib/catalog/create-system";
import { deletePolicy } from "@/lib/catalog/delete-policy";
import type { PolicyInput } from "@/lib/catalog/policy-schema";
import { setPolicyEnabled } from "@/lib/catalog/set-policy-enabled";
import { updatePolicy } from "@/lib/catalog/update-policy";
import { db } from "@/lib/db/client";
import type { Caller } from "@/lib/people/assert-can";
import { adminOnlyMatrix, actorOf, type AdminCase, counts, fieldPaths, lastAudit, makeCheckpoint, makePerson, refused } from "./admin-fixtures";

let admin: Caller;
let seq = 0;
const uniqueName = () => `Policy ${(seq += 1)}`;

beforeAll(async () => {
  admin = await makePerson(["admin"]);
  await createSystem(admin, actorOf(admin), { key: "payments", name: "Payments" });
  await createAction(admin, actorOf(admin), { systemKey: "payments", key: "payments.refund.issue", name: "Refund", category: "financial", risk: "critical" });
});

function create(input: Partial<PolicyInput> = {}) {
  return createPolicy(admin, actorOf(admin), { name: uniqueName(), category: "external_communication", requiredApprovals: 1, ...input });
}

describe("creating a policy", () => {
  it("by category, with the defaults (15 minutes, no extension, enabled), audited before null → after", async () => {
    const policy = await create({ name: "  Every external message  " });
    expect(policy).toMatchObject({
      name: "Every external message",
      category: "external_communication",
      action: null,
      conditions: null,
      requiredApprovals: 1,
      expirySeconds: 900,
      maxExtendSeconds: 0,
      enabled: true,
    });
    const stored = await db().globalPolicy.findUniqueOrThrow({ where: { id: policy.id } });
    expect(stored).toMatchObject({ createdById: admin.id, conditions: null, actionId: null });
    const event = await lastAudit("policy.created", policy.id);
    expect(event).toMatchObject({ actorPersonId: admin.id, subjectType: "global_policy" });
    expect(event.data).toMatchObject({ before: null, after: { name: "Every external message", category: "external_communication", action: null, requiredApprovals: 1 } });
  });

  it("by action, with a threshold, two approvers and an extension", async () => {
    const policy = await create({
      category: null,
      action: "payments.refund.issue",
      conditions: { param: "amount", above: 1000 },
      requiredApprovals: 2,
      expirySeconds: 3600,
      maxExtendSeconds: 600,
    });
    expect(policy).toMatchObject({ category: null, action: "payments.refund.issue", conditions: { param: "amount", above: 1000 }, requiredApprovals: 2 });
    const stored = await db().globalPolicy.findUniqueOrThrow({ where: { id: policy.id }, select: { conditions: true, action: { select: { key: true } } } });
    expect(stored).toEqual({ conditions: { param: "amount", above: 1000 }, action: { key: "payments.refund.issue" } });
  });

  it.each([
    ["both a category and an action", { category: "financial", action: "payments.refund.issue" }, "target"],
    ["neither a category nor an action", { category: null, action: null }, "target"],
    ["0 required approvals", { requiredApprovals: 0 }, "requiredApprovals"],
    ["6 required approvals", { requiredApprovals: 6 }, "requiredApprovals"],
    ["1.5 required approvals", { requiredApprovals: 1.5 }, "requiredApprovals"],
    ["an expiry of 59 seconds", { expirySeconds: 59 }, "expirySeconds"],
    ["an expiry over a day", { expirySeconds: 86_401 }, "expirySeconds"],
    ["a negative extension", { maxExtendSeconds: -1 }, "maxExtendSeconds"],
    ["an extension over a day", { maxExtendSeconds: 86_401 }, "maxExtendSeconds"],
    ["an unknown category", { category: "everything" }, "category"],
    ["a malformed action key", { category: null, action: "Payments Refund" }, "action"],
    ["a threshold on a malformed parameter", { conditions: { param: "1 amount", above: 5 } }, "conditions.param"],
    ["a threshold above infinity", { conditions: { param: "amount", above: Number.POSITIVE_INFINITY } }, "conditions.above"],
    ["a threshold above NaN", { conditions: { param: "amount", above: Number.NaN } }, "conditions.above"],
    ["a threshold with another key", { conditions: { param: "amount", above: 5, below: 9 } }, "conditions"],
    ["an empty name", { name: "  " }, "name"],
  ])("refuses %s with 400 on %s, writing nothing", async (_label, change, path) => {
    const error = await refused("validation_failed", () => create(change as Partial<PolicyInput>));
    expect(fieldPaths(error)).toContain(path);
  });

  it("refuses a duplicate name (409) and an action not in the catalog (422), writing nothing", async () => {
    const existing = await create();
    expect(fieldPaths(await refused("conflict", () => create({ name: existing.name })))).toEqual(["name"]);
    expect(fieldPaths(await refused("unprocessable", () => create({ category: null, action: "payments.ghost.issue" })))).toEqual(["action"]);
  });
});

describe("changing a policy", () => {
  it("updates every field and audits before → after; an unchanged edit writes nothing", async () => {
    const policy = await create();
    const updated = await updatePolicy(admin, actorOf(admin), {
      id: policy.id,
      name: `${policy.name} (strict)`,
      action: "payments.refund.issue",
      conditions: { param: "amount", above: 250.5 },
      requiredApprovals: 3,
      expirySeconds: 600,
      maxExtendSeconds: 300,
    });
    expect(updated).toMatchObject({ category: null, action: "payments.refund.issue", conditions: { param: "amount", above: 250.5 }, requiredApprovals: 3, enabled: true });
    expect((await lastAudit("policy.updated", policy.id)).data).toMatchObject({
      before: { name: policy.name, category: "external_communication", action: null, conditions: null, requiredApprovals: 1, expirySeconds: 900 },
      after: { name: `${policy.name} (strict)`, category: null, action: "payments.refund.issue", conditions: { param: "amount", above: 250.5 }, requiredApprovals: 3 },
    });

    const before = await counts();
    const { name, category, action, conditions, requiredApprovals, expirySeconds, maxExtendSeconds } = updated;
    const again = await updatePolicy(admin, actorOf(admin), { id: policy.id, name, category, action, conditions, requiredApprovals, expirySeconds, maxExtendSeconds });
    expect(again).toEqual(updated);
    expect(await counts()).toEqual(before);
  });

  it("an update keeps a disabled policy disabled", async () => {
    const policy = await create();
    await setPolicyEnabled(admin, actorOf(admin), { id: policy.id, enabled: false });
    const updated = await updatePolicy(admin, actorOf(admin), { id: policy.id, name: policy.name, category: "financial", requiredApprovals: 2 });
    expect(updated.enabled).toBe(false);
  });

  it("refuses an update to a taken name, both targets, or out-of-range values, and an unknown id, writing nothing", async () => {
    const one = await create();
    const two = await create();
    const base = { id: two.id, name: two.name, category: "financial" as const, requiredApprovals: 1 };
    expect(fieldPaths(await refused("conflict", () => updatePolicy(admin, actorOf(admin), { ...base, name: one.name })))).toEqual(["name"]);
    await refused("validation_failed", () => updatePolicy(admin, actorOf(admin), { ...base, action: "payments.refund.issue" }));
    await refused("validation_failed", () => updatePolicy(admin, actorOf(admin), { ...base, requiredApprovals: 0 }));
    await refused("validation_failed", () => updatePolicy(admin, actorOf(admin), { ...base, expirySeconds: 10 }));
    await refused("validation_failed", () => updatePolicy(admin, actorOf(admin), { ...base, id: "not-a-uuid" }));
    await refused("not_found", () => updatePolicy(admin, actorOf(admin), { ...base, id: "00000000-0000-4000-8000-000000000000" }));
  });

  it("disables and enables, each audited; a repeat writes nothing", async () => {
    const policy = await create();
    expect((await setPolicyEnabled(admin, actorOf(admin), { id: policy.id, enabled: false })).enabled).toBe(false);
    expect((await lastAudit("policy.disabled", policy.id)).data).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    const before = await counts();
    await setPolicyEnabled(admin, actorOf(admin), { id: policy.id, enabled: false });
    expect(await counts()).toEqual(before);
    expect((await setPolicyEnabled(admin, actorOf(admin), { id: policy.id, enabled: true })).enabled).toBe(true);
    expect((await lastAudit("policy.enabled", policy.id)).data).toMatchObject({ before: { enabled: false }, after: { enabled: true } });
  });

  it("deletes an unused policy, audited with what it was", async () => {
    const policy = await create();
    await deletePolicy(admin, actorOf(admin), { id: policy.id });
    expect(await db().globalPolicy.findUnique({ where: { id: policy.id } })).toBeNull();
    expect((await lastAudit("policy.deleted", policy.id)).data).toMatchObject({ before: { name: policy.name }, after: null });
  });

  it("refuses to delete a policy that raised a checkpoint (409: disable it instead), writing nothing", async () => {
    const policy = await create();
    await makeCheckpoint(policy.id, admin);
    const error = await refused("conflict", () => deletePolicy(admin, actorOf(admin), { id: policy.id }));
    expect(error.message).toMatch(/raised 1 checkpoint.*disable it instead/);
  });
});

describe("role matrix: only admins manage global policies (DESIGN.md section 3)", () => {
  const existing = async () => (await create()).id;
  const cases: AdminCase[] = [
    { useCase: "createPolicy", prepare: async () => uniqueName(), call: (caller, name) => createPolicy(caller, actorOf(caller), { name, category: "financial", requiredApprovals: 1 }) },
    { useCase: "updatePolicy", prepare: existing, call: (caller, id) => updatePolicy(caller, actorOf(caller), { id, name: uniqueName(), category: "financial", requiredApprovals: 2 }) },
    { useCase: "setPolicyEnabled (disable)", prepare: existing, call: (caller, id) => setPolicyEnabled(caller, actorOf(caller), { id, enabled: false }) },
    {
      useCase: "setPolicyEnabled (enable)",
      prepare: async () => {
        const id = await existing();
        await setPolicyEnabled(admin, actorOf(admin), { id, enabled: false });
        return id;
      },
      call: (caller, id) => setPolicyEnabled(caller, actorOf(caller), { id, enabled: true }),
    },
    { useCase: "deletePolicy", prepare: existing, call: (caller, id) => deletePolicy(caller, actorOf(caller), { id }) },
  ];

  adminOnlyMatrix(cases);
});
