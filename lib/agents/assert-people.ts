// The people named on an agent (deployed-by, owners, technical owner) must exist and be able to
// sign in: an agent whose only owner is disabled has nobody to press its kill switch.
import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, type InvalidField } from "@/lib/http/errors";

export interface PersonRef {
  id: string;
  /** Field path for the error, e.g. "ownerIds.1". */
  path: string;
}

export interface NamedPerson {
  id: string;
  name: string;
  email: string;
}

/** Throws 422 naming every unknown or disabled person; returns them by id for the audit row. */
export async function assertPeopleUsable(client: Db | Tx, refs: readonly PersonRef[]): Promise<Map<string, NamedPerson>> {
  const ids = [...new Set(refs.map((ref) => ref.id))];
  const found = await client.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true, disabled: true } });
  const byId = new Map(found.map((person) => [person.id, person]));
  const problems: InvalidField[] = refs.flatMap((ref) => {
    const person = byId.get(ref.id);
    if (!person) return [{ path: ref.path, message: "No such person." }];
    if (person.disabled) return [{ path: ref.path, message: `${person.name} is disabled and cannot be named on an agent.` }];
    return [];
  });
  if (problems.length > 0) throw new AppError("unprocessable", "Some of the people named cannot be used.", problems);
  return new Map(found.map(({ id, name, email }) => [id, { id, name, email }]));
}

export function ownerRefs(ownerIds: readonly string[], technicalOwnerId: string | null): PersonRef[] {
  return [
    ...ownerIds.map((id, index) => ({ id, path: `ownerIds.${index}` })),
    ...(technicalOwnerId ? [{ id: technicalOwnerId, path: "technicalOwnerId" }] : []),
  ];
}
