// What a capability kill may name: a category, or an action key of the catalog.
import "server-only";
import { db } from "@/lib/db/client";
import { ActionCategory } from "@/lib/generated/prisma/enums";

export async function listCapabilityOptions() {
  const actions = await db().action.findMany({ orderBy: { key: "asc" }, select: { key: true, name: true, category: true } });
  return { categories: Object.values(ActionCategory), actions };
}

export type CapabilityOptions = Awaited<ReturnType<typeof listCapabilityOptions>>;
