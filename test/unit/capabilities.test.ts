import { describe, expect, it } from "vitest";
import { CAPABILITIES, can, type Capability } from "@/lib/people/capabilities";
import type { Role } from "@/lib/generated/prisma/enums";

// Written out by hand from DESIGN.md section 3, so a change to the table has to be made twice.
// Columns: admin, approver, auditor, a signed-in person with no role (an owner, say).
const EXPECTED: Record<Capability, [boolean, boolean, boolean, boolean]> = {
  "console.view": [true, true, true, true],
  "agents.view": [true, true, true, true],
  "agents.manage": [true, false, false, false],
  "catalog.view": [true, true, true, true],
  "catalog.manage": [true, false, false, false],
  "approvals.view": [true, true, true, false],
  "approvals.decide": [true, true, false, false],
  "audit.view": [true, false, true, false],
  "audit.export": [true, false, true, false],
  "people.view": [true, false, true, false],
  "people.manage": [true, false, false, false],
  "fleet.stop_all": [true, false, false, false],
  "webhooks.manage": [true, false, false, false],
};

const PEOPLE: [string, Role[]][] = [
  ["admin", ["admin"]],
  ["approver", ["approver"]],
  ["auditor", ["auditor"]],
  ["no role", []],
];

describe("capabilities", () => {
  it("has an expectation for every capability", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(CAPABILITIES).sort());
  });

  const cases = (Object.entries(EXPECTED) as [Capability, boolean[]][]).flatMap(([capability, row]) =>
    PEOPLE.map(([label, roles], column) => ({ capability, label, roles, allowed: row[column]! })),
  );

  it.each(cases)("$capability for $label → $allowed", ({ capability, roles, allowed }) => {
    expect(can(roles, capability)).toBe(allowed);
  });

  it("gives a person with several roles the union of them", () => {
    expect(can(["approver", "auditor"], "approvals.decide")).toBe(true);
    expect(can(["approver", "auditor"], "audit.export")).toBe(true);
    expect(can(["approver", "auditor"], "people.manage")).toBe(false);
  });

  it("keeps the auditor read-only", () => {
    const writes = (Object.keys(CAPABILITIES) as Capability[]).filter((capability) => !/\.(view|export)$/.test(capability));
    expect(writes.length).toBeGreaterThan(0);
    for (const capability of writes) expect(can(["auditor"], capability)).toBe(false);
  });
});
