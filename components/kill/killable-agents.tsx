// The overview's kill list: each live agent the viewer holds the switch of, one click from stopped.
import Link from "next/link";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import type { KillableAgent } from "@/lib/kill/list-killable-agents";
import { KillButton } from "./kill-button";

export function KillableAgents({ agents, now }: { agents: readonly KillableAgent[]; now: Date }) {
  return (
    <Table caption="Agents you can kill">
      <thead>
        <tr>
          <Th>Agent</Th>
          <Th>Status</Th>
          <Th>Maturity</Th>
          <Th>Last seen</Th>
          <Th className="text-right">Kill switch</Th>
        </tr>
      </thead>
      <tbody>
        {agents.map((agent) => (
          <tr key={agent.id}>
            <RowTh>
              <Link href={`/agents/${encodeURIComponent(agent.slug)}`} className="hover:underline">
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
              <RelativeTime date={agent.lastSeenAt} now={now} />
            </Td>
            <Td className="text-right">
              <KillButton agentId={agent.id} agentName={agent.name} control="kill" size="sm" />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
