// Every state change of the agent, and the fleet-wide ones that applied to it, newest first.
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import type { AgentHistory } from "@/lib/agents/get-agent-history";
import type { AgentStatus, StateChangeKind } from "@/lib/generated/prisma/enums";

const KIND_LABEL: Record<StateChangeKind, string> = {
  activate: "activated",
  suspend: "suspended",
  kill: "killed",
  revive: "revived",
  retire: "retired",
  stop_all: "fleet stopped",
  resume_all: "fleet resumed",
  capability_kill: "capability killed",
  capability_restore: "capability restored",
};

// Red only where something was killed.
const KIND_TONE: Partial<Record<StateChangeKind, Tone>> = { kill: "red", stop_all: "red", capability_kill: "red", activate: "green", suspend: "amber" };

export function HistoryTable({ changes, status, now }: { changes: AgentHistory["changes"]; status: AgentStatus; now: Date }) {
  if (changes.length === 0) return <EmptyState title="No state changes yet">It has been a {status} agent since it was registered.</EmptyState>;
  return (
    <Table caption="State changes, newest first">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Change</Th>
          <Th>From → to</Th>
          <Th>Mode</Th>
          <Th>Who</Th>
          <Th>Reason</Th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.id}>
            <RowTh className="font-normal">
              <RelativeTime date={change.createdAt} now={now} />
            </RowTh>
            <Td>
              <Badge tone={KIND_TONE[change.kind] ?? "grey"}>{KIND_LABEL[change.kind]}</Badge>
              {change.capability ? <div className="font-mono text-xs text-muted">{change.capability}</div> : null}
              {change.scope === "global" || (change.scope === "capability" && !change.agentId) ? <div className="text-xs text-muted">every agent</div> : null}
            </Td>
            <Td>
              {change.fromStatus && change.toStatus ? (
                <span className="inline-flex items-center gap-1">
                  <StatusBadge status={change.fromStatus} /> → <StatusBadge status={change.toStatus} />
                </span>
              ) : (
                <span className="text-muted">—</span>
              )}
            </Td>
            <Td>{change.mode ?? <span className="text-muted">—</span>}</Td>
            <Td>{change.actor ? change.actor.name : <span className="text-muted">system</span>}</Td>
            <Td>{change.reason || <span className="text-muted">no reason given</span>}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
