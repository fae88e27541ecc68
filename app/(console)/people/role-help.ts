import type { Role } from "@/lib/generated/prisma/enums";

/** What each role may do (DESIGN.md section 3), as a hint beside its checkbox. */
export const ROLE_HELP: Record<Role, string> = {
  admin: "Registers and edits agents, the catalog, policies and people; emergency stop-all.",
  approver: "Works the approval inbox (never for agents they deployed or own).",
  auditor: "Reads everything and exports the audit; changes nothing.",
};
