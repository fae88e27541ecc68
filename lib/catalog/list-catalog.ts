// The catalog as people read it: systems with their actions, and the organisation-wide
// checkpoint policies.
import "server-only";
import { db } from "@/lib/db/client";

export async function listCatalog() {
  const [systems, policies] = await Promise.all([
    db().system.findMany({
      orderBy: { key: "asc" },
      select: {
        id: true,
        key: true,
        name: true,
        description: true,
        actions: {
          orderBy: { key: "asc" },
          select: { id: true, key: true, name: true, description: true, category: true, risk: true },
        },
      },
    }),
    db().globalPolicy.findMany({
      orderBy: [{ enabled: "desc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        category: true,
        conditions: true,
        requiredApprovals: true,
        expirySeconds: true,
        maxExtendSeconds: true,
        enabled: true,
        action: { select: { key: true } },
      },
    }),
  ]);
  return { systems, policies };
}

export type Catalog = Awaited<ReturnType<typeof listCatalog>>;
