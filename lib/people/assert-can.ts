// The use-case side of the role check: every use case asserts its capability itself, so a
// caller that forgot the wrapper (a script, a new route) still cannot act beyond its roles.
import "server-only";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";
import { can, type Capability } from "@/lib/people/capabilities";

/** The person acting, as far as a use case needs to know them. */
export interface Caller {
  id: string;
  roles: readonly Role[];
}

export function assertCan(person: Caller, capability: Capability): void {
  if (!can(person.roles, capability)) throw new AppError("forbidden", "You do not have access to this.");
}
