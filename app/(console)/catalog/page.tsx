import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/guard";
import { listCatalog } from "@/lib/catalog/list-catalog";
import { can } from "@/lib/people/capabilities";
import { PageHeader } from "@/components/ui/page-header";
import { PoliciesSection } from "./policies-section";
import { SystemsSection } from "./systems-section";

export const metadata: Metadata = { title: "Catalog & policies" };

export default async function CatalogPage() {
  const person = await requirePage("catalog.view", { path: "/catalog" });
  // Edit controls are only rendered for admins; every action checks catalog.manage again anyway.
  const canManage = can(person.roles, "catalog.manage");
  const { systems, policies } = await listCatalog();
  const actionGroups = systems.map((system) => ({ system: system.key, keys: system.actions.map((action) => action.key) }));

  return (
    <>
      <PageHeader
        title="Catalog & policies"
        description={
          canManage
            ? "The systems agents act on, every action they can ask for, and the organisation-wide checkpoints. Keys are fixed once created."
            : "The systems agents act on, every action they can ask for, and the organisation-wide checkpoints."
        }
      />
      <SystemsSection systems={systems} canManage={canManage} />
      <PoliciesSection policies={policies} canManage={canManage} actionGroups={actionGroups} />
    </>
  );
}
