import Link from "next/link";
import type { ReactNode } from "react";
import { KillButton } from "@/components/kill/kill-button";
import { KillNotice } from "@/components/kill/kill-notice";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { StatusBadge } from "@/components/ui/status-badge";
import { getKillState } from "@/lib/kill/get-kill-state";
import { killControlFor } from "@/lib/kill/kill-rules";
import { hasAgentRight } from "@/lib/people/agent-rights";
import { AgentTabs } from "./agent-tabs";
import { loadAgent } from "./load-agent";

export default async function AgentLayout({ params, children }: { params: Promise<{ slug: string }>; children: ReactNode }) {
  const { slug } = await params;
  const { agent, person } = await loadAgent(slug);
  const kill = await getKillState(agent.id);
  // The switch is on every tab, for the people who hold it and nobody else.
  const relation = {
    isOwner: agent.owners.some((owner) => owner.id === person.id),
    isTechnicalOwner: agent.technicalOwner?.id === person.id,
    deployedIt: agent.deployedBy.id === person.id,
  };
  const control = hasAgentRight(person.roles, relation, "agent.kill") ? killControlFor({ status: kill.status, mode: kill.stateMode }) : null;
  return (
    <>
      <p className="mb-2 text-xs">
        <Link href="/agents" className="text-accent hover:underline">
          ← Agents
        </Link>
      </p>
      <header className="mb-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-lg font-semibold">{agent.name}</h1>
              <StatusBadge status={agent.status} />
              <MaturityPill maturity={agent.maturity} />
            </div>
            <p className="font-mono text-xs text-muted">{agent.slug}</p>
          </div>
          {control ? <KillButton agentId={agent.id} agentName={agent.name} control={control} /> : null}
        </div>
        {kill.status === "killed" ? <KillNotice killedBy={kill.killedBy} mode={kill.stateMode} reason={kill.stateReason} since={kill.stateChangedAt} now={new Date()} /> : null}
      </header>
      <AgentTabs slug={agent.slug} />
      {children}
    </>
  );
}
