// The kill switch & drills tab: the agent's kill state (the button itself is in the page header,
// on every tab), revive for those who may, kill drills, capabilities switched off, and history.
import type { Metadata } from "next";
import { CapabilityKillForm } from "@/components/kill/capability-kill-form";
import { CapabilityKills } from "@/components/kill/capability-kills";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { getAgentHistory } from "@/lib/agents/get-agent-history";
import { killDrillMaxAgeDays } from "@/lib/agents/activation-checks";
import { getKillState } from "@/lib/kill/get-kill-state";
import { DRILLABLE } from "@/lib/kill/kill-rules";
import { listCapabilityOptions } from "@/lib/kill/list-capability-options";
import { can } from "@/lib/people/capabilities";
import { hasAgentRight } from "@/lib/people/agent-rights";
import { loadAgent, type AgentPageProps } from "../load-agent";
import { DrillButton } from "./drill-button";
import { DrillsTable } from "./drills-table";
import { HistoryTable } from "./history-table";
import { ReviveForm } from "./revive-form";

export async function generateMetadata({ params }: AgentPageProps): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Kill switch · ${slug}` };
}

export default async function KillSwitchPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent, person } = await loadAgent(slug, "kill-switch");
  const [{ changes, drills }, kill] = await Promise.all([getAgentHistory(agent.id), getKillState(agent.id)]);
  const now = new Date();
  const relation = {
    isOwner: agent.owners.some((owner) => owner.id === person.id),
    isTechnicalOwner: agent.technicalOwner?.id === person.id,
    deployedIt: agent.deployedBy.id === person.id,
  };
  const mayKill = hasAgentRight(person.roles, relation, "agent.kill");
  const mayRevive = hasAgentRight(person.roles, relation, "agent.revive");
  const admin = can(person.roles, "fleet.stop_all");
  const holders = [...agent.owners.map((owner) => owner.name), ...(agent.technicalOwner ? [agent.technicalOwner.name] : [])];

  return (
    <div className="grid gap-8">
      <section aria-labelledby="state-heading" className="grid gap-3">
        <h2 id="state-heading" className="text-sm font-semibold">
          Current state
        </h2>
        <dl className="grid max-w-2xl grid-cols-[10rem_1fr] gap-x-3 gap-y-1 rounded-md border border-line bg-surface p-3 text-sm">
          <dt className="text-muted">Status</dt>
          <dd>
            <StatusBadge status={kill.status} />
            {kill.stateMode ? <span className="ml-2">{kill.stateMode}</span> : null}
          </dd>
          <dt className="text-muted">Since</dt>
          <dd>
            <RelativeTime date={kill.stateChangedAt} now={now} />
          </dd>
          {kill.killedBy ? (
            <>
              <dt className="text-muted">Killed by</dt>
              <dd data-testid="killed-by">{kill.killedBy.actor?.name ?? "the system"}</dd>
            </>
          ) : null}
          {kill.stateReason ? (
            <>
              <dt className="text-muted">Reason</dt>
              <dd>{kill.stateReason}</dd>
            </>
          ) : null}
          <dt className="text-muted">Switch held by</dt>
          <dd>{holders.length ? `${holders.join(", ")} and the admins` : "the admins only: name an owner"}</dd>
        </dl>
        {kill.status === "killed" && mayRevive ? (
          <div className="max-w-2xl">
            <h3 className="mb-2 text-sm font-semibold">Revive</h3>
            <ReviveForm agentId={agent.id} maturity={agent.maturity} canKeepMaturity={admin} forced={kill.stateMode === "forced"} />
          </div>
        ) : null}
        {kill.status === "killed" && !mayRevive ? <p className="text-muted">Only its business owners and admins can revive it, with a reason.</p> : null}
      </section>

      <section aria-labelledby="drills-heading" className="grid gap-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="drills-heading" className="text-sm font-semibold">
              Kill drills
            </h2>
            <p className="text-xs text-muted">
              The agent&apos;s SDK acknowledges a drill it sees on its status poll or stream; it passes when that takes under the threshold. Activation needs a passed drill
              within the last {killDrillMaxAgeDays()} days.
            </p>
          </div>
          {mayKill && DRILLABLE.includes(kill.status) ? <DrillButton agentId={agent.id} waiting={kill.pendingDrill !== null} /> : null}
        </div>
        {kill.pendingDrill ? (
          <p role="status" className="text-sm">
            A drill started <RelativeTime date={kill.pendingDrill.startedAt} now={now} /> is waiting for the agent to acknowledge it (threshold {kill.pendingDrill.thresholdMs} ms). Reload to see the result.
          </p>
        ) : null}
        <DrillsTable drills={drills} now={now} />
      </section>

      <section aria-labelledby="capabilities-heading" className="grid gap-2">
        <h2 id="capabilities-heading" className="text-sm font-semibold">
          Capabilities switched off
        </h2>
        <CapabilityKills
          kills={kill.capabilityKills}
          caption="Capabilities switched off for this agent or for every agent"
          canRestore={admin}
          now={now}
          emptyHint={admin ? "Switch off one action or a whole category for this agent without stopping it." : "An admin can switch off one action or a category without stopping the agent."}
        />
        {admin && agent.status !== "retired" ? <CapabilityKillForm options={await listCapabilityOptions()} agentId={agent.id} scope="for this agent" /> : null}
      </section>

      <section aria-labelledby="history-heading" className="grid gap-2">
        <h2 id="history-heading" className="text-sm font-semibold">
          State history
        </h2>
        <HistoryTable changes={changes} status={agent.status} now={now} />
      </section>
    </div>
  );
}
