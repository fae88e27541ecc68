// Who may do what in the console: DESIGN.md section 3 as data. Per-agent rights (owner,
// technical owner) are checked against the agent in lib/people/agent-rights.ts, not here.
import type { Role } from "@/lib/generated/prisma/enums";

export const CAPABILITIES = {
  "console.view": ["admin", "approver", "auditor", "member"],
  "agents.view": ["admin", "approver", "auditor", "member"],
  "agents.manage": ["admin"],
  "catalog.view": ["admin", "approver", "auditor", "member"],
  "catalog.manage": ["admin"],
  "approvals.view": ["admin", "approver", "auditor"],
  "approvals.decide": ["admin", "approver"],
  "audit.view": ["admin", "auditor"],
  "audit.export": ["admin", "auditor"],
  "people.view": ["admin", "auditor"],
  "people.manage": ["admin"],
  "fleet.stop_all": ["admin"],
  "webhooks.manage": ["admin"],
} as const satisfies Record<string, readonly (Role | "member")[]>;

export type Capability = keyof typeof CAPABILITIES;

/** "member" is any signed-in, enabled person, whatever their roles (owners often have none). */
export function can(roles: readonly Role[], capability: Capability): boolean {
  const allowed: readonly string[] = CAPABILITIES[capability];
  return allowed.includes("member") || roles.some((role) => allowed.includes(role));
}
