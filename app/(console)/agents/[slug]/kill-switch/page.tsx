// The agent's state history and kill drills, read-only for now (the kill switch issue adds the
// button and the drill runner here).
import type { Metadata } from "next";
import { getAgentHistory } from "@/lib/agents/get-agent-history";
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import type { DrillStatus, StateChangeKind } from "@/lib/generated/prisma/enums";
import { loadAgent, type AgentPageProps } from "../load-agent";

export async function generateMetadata({ params }: AgentPageProps): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Kill switch · ${slug}` };
}

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

// Red only where something was killed or a drill failed.
const KIND_TONE: Partial<Record<StateChangeKind, Tone>> = { kill: "red", stop_all: "red", capability_kill: "red", activate: "green", suspend: "amber" };
const DRILL_TONE: Record<DrillStatus, Tone> = { pending: "blue", passed: "green", failed: "red", expired: "amber" };

export default async function KillSwitchPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent } = await loadAgent(slug, "kill-switch");
  const { changes, drills } = await getAgentHistory(agent.id);
  const now = new Date();

  return (
    <div className="grid gap-6">
      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-2 text-sm font-semibold">
          State history
        </h2>
        {changes.length === 0 ? (
          <EmptyState title="No state changes yet">It has been a {agent.status} agent since it was registered.</EmptyState>
        ) : (
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
                    {change.scope === "global" ? <div className="text-xs text-muted">every agent</div> : null}
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
        )}
      </section>

      <section aria-labelledby="drills-heading">
        <h2 id="drills-heading" className="mb-2 text-sm font-semibold">
          Kill drills
        </h2>
        {drills.length === 0 ? (
          <EmptyState title="No kill drill yet">
            A drill proves the kill switch reaches this agent in time. An owner runs one while the agent is connected; a passed drill is needed before go-live.
          </EmptyState>
        ) : (
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
                    <Badge tone={DRILL_TONE[drill.status]}>{drill.status}</Badge>
                  </Td>
                  <Td>{drill.latencyMs === null ? <span className="text-muted">not acknowledged</span> : `${drill.latencyMs} ms`}</Td>
                  <Td>{drill.thresholdMs} ms</Td>
                  <Td>{drill.startedBy.name}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </div>
  );
}
