// Everyone who can sign in, with roles and what each of them owns.
import "server-only";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

interface AgentRef {
  slug: string;
  name: string;
}

export interface PersonRow {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  owns: AgentRef[];
  technicalOwnerOf: AgentRef[];
}

export async function listPeople(): Promise<PersonRow[]> {
  const rows = await db().person.findMany({
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: {
      id: true,
      name: true,
      email: true,
      roles: true,
      disabled: true,
      lastLoginAt: true,
      createdAt: true,
      ownerships: { orderBy: { agent: { name: "asc" } }, select: { agent: { select: { slug: true, name: true } } } },
      technicalOwnerOf: { orderBy: { name: "asc" }, select: { slug: true, name: true } },
    },
  });
  return rows.map(({ ownerships, ...person }) => ({ ...person, owns: ownerships.map((ownership) => ownership.agent) }));
}
