// The guard behind "there is always an enabled admin". Every change that could take admin
// rights away (a role change, disabling an account) first locks all enabled admins and the
// person it changes, in id order so that two such changes cannot deadlock. The second of two
// concurrent changes therefore waits, then sees the first one's result: when admins A and B
// demote each other at once, exactly one succeeds.
import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

export interface LockedPerson {
  id: string;
  email: string;
  roles: Role[];
  disabled: boolean;
}

export interface AdminLock {
  /** The person being changed; a 404 was thrown if they do not exist. */
  target: LockedPerson;
  /** Ids of the enabled admins as of now (after any change that committed while we waited). */
  enabledAdmins: string[];
}

export async function lockAdminsAnd(tx: Tx, personId: string): Promise<AdminLock> {
  // Read Committed re-checks the WHERE on the newest row version after waiting for a lock, so a
  // row demoted or disabled meanwhile drops out of the enabled admins here.
  const rows = await tx.$queryRaw<Array<{ id: string; email: string; roles: Role[]; disabled: boolean }>>`
    SELECT id::text AS id, email, roles::text[] AS roles, disabled
    FROM person
    WHERE id = ${personId}::uuid OR ('admin' = ANY(roles) AND NOT disabled)
    ORDER BY id
    FOR UPDATE`;
  const target = rows.find((row) => row.id === personId);
  if (!target) throw new AppError("not_found", "No such person.");
  const enabledAdmins = rows.filter((row) => row.roles.includes("admin") && !row.disabled).map((row) => row.id);
  return { target, enabledAdmins };
}

/** Refuses a change that would leave no enabled admin. */
export function assertAdminRemains(lock: AdminLock, losesAdmin: boolean): void {
  if (!losesAdmin) return;
  const others = lock.enabledAdmins.filter((id) => id !== lock.target.id);
  if (others.length === 0) {
    throw new AppError("conflict", `${lock.target.email} is the last enabled admin; make someone else an admin first.`);
  }
}

/** The acting admin may have been demoted or disabled by a change that committed while we waited. */
export function assertStillAdmin(lock: AdminLock, actorId: string): void {
  if (!lock.enabledAdmins.includes(actorId)) throw new AppError("forbidden", "You are no longer an enabled admin.");
}
