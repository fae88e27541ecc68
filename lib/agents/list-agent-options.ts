// Slug and name of every agent, for filter pickers.
import "server-only";
import { db } from "@/lib/db/client";

export async function listAgentOptions(): Promise<{ slug: string; name: string }[]> {
  return db().agent.findMany({ orderBy: [{ name: "asc" }, { slug: "asc" }], select: { slug: true, name: true } });
}
