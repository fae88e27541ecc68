import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/guard";
import { listCatalog } from "@/lib/catalog/list-catalog";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDuration } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";

export const metadata: Metadata = { title: "Catalog & policies" };

function showConditions(conditions: unknown): string {
  if (conditions === null || conditions === undefined) return "always";
  return JSON.stringify(conditions);
}

export default async function CatalogPage() {
  await requirePage("catalog.view", { path: "/catalog" });
  const { systems, policies } = await listCatalog();

  return (
    <>
      <PageHeader title="Catalog & policies" description="The systems agents act on, every action they can ask for, and the organisation-wide checkpoints." />

      <h2 className="mb-2 text-sm font-semibold">Systems and actions</h2>
      {systems.length === 0 ? (
        <EmptyState title="The catalog is empty">An admin adds systems (such as crm) and their actions before agents can be given a written list.</EmptyState>
      ) : (
        <div className="space-y-6">
          {systems.map((system) => (
            <section key={system.id} aria-labelledby={`system-${system.key}`}>
              <h3 id={`system-${system.key}`} className="mb-1 font-medium">
                {system.name} <span className="font-mono text-xs text-muted">{system.key}</span>
                <span className="ml-2 text-xs font-normal text-muted">{formatCount(system.actions.length, "action")}</span>
              </h3>
              {system.description ? <p className="mb-2 text-muted">{system.description}</p> : null}
              {system.actions.length === 0 ? (
                <EmptyState title="No actions in this system yet" />
              ) : (
                <Table caption={`Actions of ${system.name}`}>
                  <thead>
                    <tr>
                      <Th>Action</Th>
                      <Th>Name</Th>
                      <Th>Category</Th>
                      <Th>Risk</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {system.actions.map((action) => (
                      <tr key={action.id}>
                        <RowTh className="font-mono text-xs">{action.key}</RowTh>
                        <Td>
                          {action.name}
                          {action.description ? <div className="text-xs text-muted">{action.description}</div> : null}
                        </Td>
                        <Td>
                          <CategoryLabel category={action.category} />
                        </Td>
                        <Td>
                          <RiskBadge risk={action.risk} />
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </section>
          ))}
        </div>
      )}

      <h2 className="mb-2 mt-8 text-sm font-semibold">Global checkpoint policies</h2>
      {policies.length === 0 ? (
        <EmptyState title="No global checkpoints">
          Without them only agents&apos; own written lists send actions to a human. An admin can require approval by category, e.g. for every external communication.
        </EmptyState>
      ) : (
        <Table caption="Global checkpoint policies">
          <thead>
            <tr>
              <Th>Policy</Th>
              <Th>Applies to</Th>
              <Th>When</Th>
              <Th>Approvals needed</Th>
              <Th>Expires after</Th>
              <Th>Can extend by</Th>
              <Th>State</Th>
            </tr>
          </thead>
          <tbody>
            {policies.map((policy) => (
              <tr key={policy.id}>
                <RowTh>{policy.name}</RowTh>
                <Td className="font-mono text-xs">{policy.action?.key ?? (policy.category ? `every ${policy.category}` : "—")}</Td>
                <Td className="font-mono text-xs">{showConditions(policy.conditions)}</Td>
                <Td className="tabular-nums">{formatCount(policy.requiredApprovals, "approver")}</Td>
                <Td className="tabular-nums">{formatDuration(policy.expirySeconds)}</Td>
                <Td className="tabular-nums">{policy.maxExtendSeconds ? formatDuration(policy.maxExtendSeconds) : "no extension"}</Td>
                <Td>{policy.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="grey">disabled</Badge>}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
