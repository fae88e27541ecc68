// The agent's kill drills, newest first: time from click to the agent's acknowledgement, against
// the threshold it had to beat.
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import type { AgentHistory } from "@/lib/agents/get-agent-history";
import type { DrillStatus } from "@/lib/generated/prisma/enums";

// Red only for a drill that failed: the kill switch did not reach the agent in time.
const DRILL_TONE: Record<DrillStatus, Tone> = { pending: "blue", passed: "green", failed: "red", expired: "amber" };
const DRILL_LABEL: Record<DrillStatus, string> = { pending: "waiting for the agent", passed: "passed", failed: "failed", expired: "expired" };

export function DrillsTable({ drills, now }: { drills: AgentHistory["drills"]; now: Date }) {
  if (drills.length === 0) {
    return (
      <EmptyState title="No kill drill yet">
        A drill proves the kill switch reaches this agent in time. Start one while the agent is connected; a passed drill is needed before it goes live.
      </EmptyState>
    );
  }
  return (
    <Table caption="Kill drills, newest first">
      <thead>
        <tr>
          <Th>Started</Th>
          <Th>Result</Th>
          <Th>Time to acknowledge</Th>
          <Th>Threshold</Th>
          <Th>Started by</Th>
        </tr>
      </thead>
      <tbody>
        {drills.map((drill) => (
          <tr key={drill.id}>
            <RowTh className="font-normal">
              <RelativeTime date={drill.startedAt} now={now} />
            </RowTh>
            <Td>
              <Badge tone={DRILL_TONE[drill.status]}>{DRILL_LABEL[drill.status]}</Badge>
            </Td>
            <Td className="tabular-nums">{drill.latencyMs === null ? <span className="text-muted">not acknowledged</span> : `${drill.latencyMs} ms`}</Td>
            <Td className="tabular-nums">{drill.thresholdMs} ms</Td>
            <Td>{drill.startedBy.name}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
