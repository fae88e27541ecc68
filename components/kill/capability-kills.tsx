// The capabilities switched off, as a table, with Restore for admins. Used on the overview (for
// every agent) and on an agent's kill switch tab (its own, and those for every agent).
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ConfirmButton } from "@/components/ui/form";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { restoreCapabilityAction } from "./actions";

export interface CapabilityKillRow {
  id: string;
  agentId?: string | null;
  capability: string;
  reason: string;
  createdAt: Date;
  createdBy: { name: string } | null;
}

interface Props {
  kills: readonly CapabilityKillRow[];
  caption: string;
  canRestore: boolean;
  now: Date;
  /** What the empty state suggests. */
  emptyHint: string;
}

export function CapabilityKills({ kills, caption, canRestore, now, emptyHint }: Props) {
  if (kills.length === 0) return <EmptyState title="No capability is switched off">{emptyHint}</EmptyState>;
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>Capability</Th>
          <Th>For</Th>
          <Th>Switched off</Th>
          <Th>By</Th>
          <Th>Reason</Th>
          {canRestore ? <Th>
            <span className="sr-only">Restore</span>
          </Th> : null}
        </tr>
      </thead>
      <tbody>
        {kills.map((kill) => (
          <tr key={kill.id}>
            <RowTh className="font-mono text-xs">
              <Badge tone="red">off</Badge> {kill.capability}
            </RowTh>
            <Td>{kill.agentId ? "this agent" : "every agent"}</Td>
            <Td>
              <RelativeTime date={kill.createdAt} now={now} />
            </Td>
            <Td>{kill.createdBy?.name ?? <span className="text-muted">system</span>}</Td>
            <Td>{kill.reason || <span className="text-muted">no reason given</span>}</Td>
            {canRestore ? (
              <Td>
                <ConfirmButton
                  action={restoreCapabilityAction}
                  fields={{ killId: kill.id }}
                  label="Restore"
                  ariaLabel={`Restore ${kill.capability}`}
                  question={`Switch ${kill.capability} back on ${kill.agentId ? "for this agent" : "for every agent"}? Its written list decides again.`}
                  confirmLabel="Restore it"
                />
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
