import type { Metadata } from "next";
import type { ReactNode } from "react";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
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
  const { agent } = await loadAgent(slug);
  const now = new Date();

  return (
    <section aria-label="Overview">
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
    </section>
  );
}
