import type { AgentDetail } from "@/lib/agents/get-agent-by-slug";
import { EffectBadge } from "@/components/ui/effect-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatLatency } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, Td, Th } from "@/components/ui/table";

export function DecisionsTable({ decisions, now }: { decisions: AgentDetail["decisions"]; now: Date }) {
  if (decisions.length === 0) {
    return (
      <EmptyState title="No decisions yet">
        Once the agent is active and calls <code className="font-mono">POST /api/v1/decisions</code>, each request appears here with its reasoning.
      </EmptyState>
    );
  }
  return (
    <Table caption="The 20 latest decisions for this agent">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Action</Th>
          <Th>Effect</Th>
          <Th>Reason</Th>
          <Th>Instruction</Th>
          <Th className="text-right">Latency</Th>
        </tr>
      </thead>
      <tbody>
        {decisions.map((decision) => (
          <tr key={decision.id}>
            <Td>
              <RelativeTime date={decision.createdAt} now={now} />
            </Td>
            <Td className="font-mono text-xs">
              {decision.action}
              {decision.resource ? <div className="text-muted">{decision.resource}</div> : null}
            </Td>
            <Td>
              <EffectBadge effect={decision.effect} />
            </Td>
            <Td className="font-mono text-xs">{decision.reason}</Td>
            <Td className="max-w-md">{decision.instruction}</Td>
            <Td className="text-right tabular-nums">{formatLatency(decision.latencyMicros)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
