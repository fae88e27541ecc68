// The people who can be named on an agent (deployed-by, owners, technical owner): everyone
// enabled, by name. Disabled people are left out because they cannot press a kill switch.
import "server-only";
import { db } from "@/lib/db/client";

export interface PersonOption {
  id: string;
  name: string;
  email: string;
}

export async function listOwnerCandidates(): Promise<PersonOption[]> {
  return db().person.findMany({
    where: { disabled: false },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true },
  });
}
