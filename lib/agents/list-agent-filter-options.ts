// Choices for the registry's owner and system filters: people who own at least one agent (as
// business or technical owner) and the catalog's systems.
import "server-only";
import { db } from "@/lib/db/client";

export async function listAgentFilterOptions(): Promise<{ owners: { id: string; name: string; email: string }[]; systems: { key: string; name: string }[] }> {
  const [owners, systems] = await Promise.all([
    db().person.findMany({
      where: { OR: [{ ownerships: { some: {} } }, { technicalOwnerOf: { some: {} } }] },
      orderBy: [{ name: "asc" }, { email: "asc" }],
      select: { id: true, name: true, email: true },
    }),
    db().system.findMany({ orderBy: { key: "asc" }, select: { key: true, name: true } }),
  ]);
  return { owners, systems };
}
