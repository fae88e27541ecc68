import type { Metadata } from "next";
import Link from "next/link";
import Form from "next/form";
import { requirePage } from "@/lib/auth/guard";
import { listAgentFilterOptions } from "@/lib/agents/list-agent-filter-options";
import { listAgents } from "@/lib/agents/list-agents";
import { can } from "@/lib/people/capabilities";
import { AgentStatus, Maturity } from "@/lib/generated/prisma/enums";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { firstValues, type RawSearchParams } from "../search-params";

export const metadata: Metadata = { title: "Agents" };

const field = "rounded border border-line bg-surface px-2 py-1.5 text-sm";

export default async function AgentsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const person = await requirePage("agents.view", { path: "/agents" });
  const manages = can(person.roles, "agents.manage");
  const now = new Date();
  const [{ agents, filters, truncated }, options] = await Promise.all([listAgents(firstValues(await searchParams)), listAgentFilterOptions()]);
  const filtered = Boolean(filters.q || filters.status || filters.maturity || filters.owner || filters.system);

  return (
    <>
      <PageHeader
        title="Agents"
        description={`${formatCount(agents.length, "agent")}${filtered ? " match these filters" : " registered"}${truncated ? " (first 500 shown; narrow the search)" : ""}.`}
      >
        {manages ? (
          <div className="flex flex-wrap items-center gap-3">
            <Link href="/agents/import" className="text-sm font-medium text-accent underline underline-offset-2">
              Import
            </Link>
            <a href="/api/console/agents/export?format=yaml" className="text-sm font-medium text-accent underline underline-offset-2">
              Export
            </a>
            <Link href="/agents/new" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white dark:text-gray-950">
              Register agent
            </Link>
          </div>
        ) : null}
      </PageHeader>
      <Form action="/agents" role="search" aria-label="Filter agents" className="mb-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Search
          <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="Name, slug or purpose" className={`${field} w-64 text-fg`} />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Status
          <select name="status" defaultValue={filters.status ?? ""} className={`${field} text-fg`}>
            <option value="">Any status</option>
            {Object.values(AgentStatus).map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Maturity
          <select name="maturity" defaultValue={filters.maturity ?? ""} className={`${field} text-fg`}>
            <option value="">Any maturity</option>
            {Object.values(Maturity).map((maturity) => (
              <option key={maturity} value={maturity}>
                {maturity}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Owner
          <select name="owner" defaultValue={filters.owner ?? ""} className={`${field} text-fg`}>
            <option value="">Anyone</option>
            {options.owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          System
          <select name="system" defaultValue={filters.system ?? ""} className={`${field} text-fg`}>
            <option value="">Any system</option>
            {options.systems.map((system) => (
              <option key={system.key} value={system.key}>
                {system.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white dark:text-gray-950">
          Apply
        </button>
        {filtered ? (
          <Link href="/agents" className="py-1.5 text-sm font-medium text-accent underline underline-offset-2">
            Clear filters
          </Link>
        ) : null}
      </Form>

      {agents.length === 0 ? (
        filtered ? (
          <EmptyState title="No agents match these filters">
            Try another search term, or <Link href="/agents" className="text-accent underline">clear the filters</Link> to see every agent.
          </EmptyState>
        ) : (
          <EmptyState title="No agents registered yet">
            An admin registers each agent with its owners, purpose and written list; it then appears here as a draft.
          </EmptyState>
        )
      ) : (
        <Table caption="Registered agents">
          <thead>
            <tr>
              <Th>Agent</Th>
              <Th>Status</Th>
              <Th>Maturity</Th>
              <Th>Owners</Th>
              <Th>Environment</Th>
              <Th>Last seen</Th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.id}>
                <RowTh>
                  <Link href={`/agents/${agent.slug}`} className="text-accent hover:underline">
                    {agent.name}
                  </Link>
                  <div className="font-mono text-xs font-normal text-muted">{agent.slug}</div>
                </RowTh>
                <Td>
                  <StatusBadge status={agent.status} />
                </Td>
                <Td>
                  <MaturityPill maturity={agent.maturity} />
                </Td>
                <Td>
                  {agent.owners.map((owner) => owner.name).join(", ") || <span className="text-muted">none</span>}
                  {agent.technicalOwner ? (
                    <div className="text-xs text-muted">technical: {agent.technicalOwner.name}</div>
                  ) : null}
                </Td>
                <Td>{agent.environment}</Td>
                <Td>
                  <RelativeTime date={agent.lastSeenAt} now={now} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
