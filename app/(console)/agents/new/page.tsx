import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { listOwnerCandidates } from "@/lib/agents/list-owner-candidates";
import { listCatalog } from "@/lib/catalog/list-catalog";
import { PageHeader } from "@/components/ui/page-header";
import { RegisterWizard, type CatalogSystem } from "./register-wizard";

export const metadata: Metadata = { title: "Register an agent" };

export default async function RegisterAgentPage() {
  const person = await requirePage("agents.manage", { path: "/agents/new" });
  const [people, { systems }] = await Promise.all([listOwnerCandidates(), listCatalog()]);
  const catalog: CatalogSystem[] = systems.map((system) => ({
    key: system.key,
    name: system.name,
    actions: system.actions.map(({ key, name, category, risk }) => ({ key, name, category, risk })),
  }));
  return (
    <>
      <p className="mb-2 text-xs">
        <Link href="/agents" className="text-accent hover:underline">
          ← Agents
        </Link>
      </p>
      <PageHeader
        title="Register an agent"
        description="It starts as a draft intern: nothing it asks for is allowed until an admin activates it."
      />
      <RegisterWizard people={people} catalog={catalog} currentPersonId={person.id} />
    </>
  );
}
