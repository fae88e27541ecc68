import type { Metadata } from "next";
import type { ReactNode } from "react";
import { nextStatuses } from "@/lib/agents/agent-lifecycle";
import { getUnmetActivationChecks } from "@/lib/agents/activation-checks";
import { listOwnerCandidates } from "@/lib/agents/list-owner-candidates";
import { can } from "@/lib/people/capabilities";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { IdentityForm } from "./_overview/identity-form";
import { MaturityForm } from "./_overview/maturity-form";
import { OwnersForm } from "./_overview/owners-form";
import { StatusControls } from "./_overview/status-controls";
import { loadAgent, type AgentPageProps } from "./load-agent";

export async function generateMetadata({ params }: AgentPageProps): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Agent ${slug}` };
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 border-b border-line px-3 py-2 last:border-b-0">
      <dt className="text-muted">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default async function AgentOverviewPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent, person } = await loadAgent(slug);
  const now = new Date();
  // Non-admins get the facts only: no edit control is rendered for them at all.
  const manages = can(person.roles, "agents.manage");

  return (
    <section aria-label="Overview" className="grid gap-6">
      <dl className="rounded-md border border-line bg-surface">
        <Fact label="Purpose">{agent.purpose}</Fact>
        <Fact label="Status">
          <StatusBadge status={agent.status} />
          {agent.stateReason ? <span className="ml-2 text-muted">{agent.stateReason}</span> : null}
          <span className="ml-2 text-xs text-muted">
            since <RelativeTime date={agent.stateChangedAt} now={now} />
          </span>
        </Fact>
        <Fact label="Maturity">
          <MaturityPill maturity={agent.maturity} />
        </Fact>
        <Fact label="Environment">{agent.environment}</Fact>
        <Fact label="Deployed by">
          {agent.deployedBy.name} <span className="text-muted">({agent.deployedBy.email})</span>
        </Fact>
        <Fact label="Owners">
          {agent.owners.length ? (
            <ul>
              {agent.owners.map((owner) => (
                <li key={owner.id}>
                  {owner.name} <span className="text-muted">({owner.email})</span>
                </li>
              ))}
            </ul>
          ) : (
            <span className="text-muted">none: every agent needs at least one owner</span>
          )}
        </Fact>
        <Fact label="Technical owner">
          {agent.technicalOwner ? (
            <>
              {agent.technicalOwner.name} <span className="text-muted">({agent.technicalOwner.email})</span>
            </>
          ) : (
            <span className="text-muted">none (recommended: someone other than the business owner)</span>
          )}
        </Fact>
        <Fact label="Last seen">
          <RelativeTime date={agent.lastSeenAt} now={now} />
        </Fact>
        <Fact label="Registered">
          <RelativeTime date={agent.createdAt} now={now} />
        </Fact>
      </dl>
      {manages ? <ManagePanel agent={agent} /> : null}
    </section>
  );
}

async function ManagePanel({ agent }: { agent: Awaited<ReturnType<typeof loadAgent>>["agent"] }) {
  const [people, unmet] = await Promise.all([listOwnerCandidates(), agent.status === "retired" ? [] : getUnmetActivationChecks(agent.id)]);
  const liveKeys = agent.credentials.filter((credential) => !credential.revokedAt).length;
  const card = "rounded-md border border-line bg-surface p-4";
  return (
    <section aria-labelledby="manage-heading">
      <h2 id="manage-heading" className="mb-2 text-base font-semibold">
        Manage
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className={card}>
          <StatusControls agentId={agent.id} status={agent.status} transitions={nextStatuses(agent.status)} unmet={unmet} liveKeys={liveKeys} />
        </div>
        {agent.status === "retired" ? null : (
          <>
            <div className={card}>
              <MaturityForm agentId={agent.id} maturity={agent.maturity} />
            </div>
            <div className={card}>
              <IdentityForm agent={{ id: agent.id, name: agent.name, purpose: agent.purpose, environment: agent.environment }} />
            </div>
            <div className={card}>
              <OwnersForm agentId={agent.id} owners={agent.owners} technicalOwnerId={agent.technicalOwner?.id ?? null} people={people} />
            </div>
          </>
        )}
      </div>
    </section>
  );
}
