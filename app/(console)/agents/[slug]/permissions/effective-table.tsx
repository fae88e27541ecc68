// What the engine would answer for each catalog action if this agent asked right now with no
// resource and no parameters: the list, state, maturity and policies seen together.
import type { EffectiveDecision } from "@/lib/permissions/effective-decisions";
import { reasonText } from "@/lib/permissions/reasons";
import { EffectBadge } from "@/components/ui/effect-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";

export function EffectiveTable({ rows }: { rows: EffectiveDecision[] }) {
  return (
    <Table caption="Effective decision per catalog action, now, with no resource or parameters">
      <thead>
        <tr>
          <Th>Action</Th>
          <Th>Answer</Th>
          <Th>Why</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ action, decision }) => (
          <tr key={action}>
            <RowTh className="py-1 font-mono text-xs">{action}</RowTh>
            <Td className="py-1">
              <EffectBadge effect={decision.effect} />
              {decision.effect === "require_approval" && decision.requiredApprovals > 1 ? <span className="ml-1 text-xs text-muted">×{decision.requiredApprovals}</span> : null}
            </Td>
            <Td className="py-1 text-xs" title={decision.explanation}>
              <code className="font-mono">{decision.reason}</code> <span className="text-muted">{reasonText(decision.reason)}</span>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
