import type { AgentDetail } from "@/lib/agents/get-agent-by-slug";
import { EffectBadge } from "@/components/ui/effect-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { summarizeConditions } from "./conditions-summary";
import { LineControls } from "./line-controls";

interface Props {
  permissions: AgentDetail["permissions"];
  /** Present only for people who may change the list: then each line gets its controls. */
  editable?: { agentId: string; slug: string };
}

export function PermissionsTable({ permissions, editable }: Props) {
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
          <Th className="w-8">#</Th>
          <Th>Action</Th>
          <Th>Category</Th>
          <Th>Risk</Th>
          <Th>Effect</Th>
          <Th>Conditions</Th>
          <Th>Justification</Th>
          {editable ? <Th>Change</Th> : null}
        </tr>
      </thead>
      <tbody>
        {permissions.map((line, index) => (
          <tr key={line.id} data-testid="permission-line">
            <Td className="text-xs text-muted">{index + 1}</Td>
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
            {editable ? (
              <Td>
                <LineControls
                  agentId={editable.agentId}
                  slug={editable.slug}
                  permissionId={line.id}
                  index={index}
                  count={permissions.length}
                  label={`line ${index + 1}, ${line.action.key}`}
                />
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
