import type { AgentDetail } from "@/lib/agents/get-agent-by-slug";
import { EffectBadge } from "@/components/ui/effect-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { summarizeConditions } from "./conditions-summary";

export function PermissionsTable({ permissions }: { permissions: AgentDetail["permissions"] }) {
  if (permissions.length === 0) {
    return (
      <EmptyState title="The written list is empty, so every action is denied">
        An admin adds the actions this agent may take, each with a justification.
      </EmptyState>
    );
  }
  return (
    <Table caption="Written list: the actions this agent may take">
      <thead>
        <tr>
          <Th>Action</Th>
          <Th>Category</Th>
          <Th>Risk</Th>
          <Th>Effect</Th>
          <Th>Conditions</Th>
          <Th>Justification</Th>
        </tr>
      </thead>
      <tbody>
        {permissions.map((line) => (
          <tr key={line.id}>
            <RowTh className="font-mono text-xs">{line.action.key}</RowTh>
            <Td>
              <CategoryLabel category={line.action.category} />
            </Td>
            <Td>
              <RiskBadge risk={line.action.risk} />
            </Td>
            <Td>
              <EffectBadge effect={line.effect} />
            </Td>
            <Td className="text-xs">{summarizeConditions(line)}</Td>
            <Td>
              {line.justification}
              {line.addedBy ? <div className="text-xs text-muted">added by {line.addedBy.name}</div> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
