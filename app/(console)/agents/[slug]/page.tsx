import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePage } from "@/lib/auth/guard";
import { getAgentBySlug } from "@/lib/agents/get-agent-by-slug";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { CredentialsTable } from "./credentials-table";
import { DecisionsTable } from "./decisions-table";
import { PermissionsTable } from "./permissions-table";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Agent ${slug}` };
}

const SECTIONS = [
  { id: "overview", label: "Overview" },
  { id: "permissions", label: "Permissions" },
  { id: "credentials", label: "Credentials" },
  { id: "activity", label: "Activity" },
] as const;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 border-b border-line px-3 py-2 last:border-b-0">
      <dt className="text-muted">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="mt-8 scroll-mt-4">
      <h2 id={`${id}-heading`} className="mb-2 text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function AgentPage({ params }: Props) {
  const { slug } = await params;
  await requirePage("agents.view", { path: `/agents/${encodeURIComponent(slug)}` });
  const agent = await getAgentBySlug(slug);
  if (!agent) notFound();
  const now = new Date();

  return (
    <>
      <p className="mb-2 text-xs">
        <Link href="/agents" className="text-accent hover:underline">
          ← Agents
        </Link>
      </p>
      <header className="mb-4">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-lg font-semibold">{agent.name}</h1>
          <StatusBadge status={agent.status} />
          <MaturityPill maturity={agent.maturity} />
        </div>
        <p className="font-mono text-xs text-muted">{agent.slug}</p>
      </header>
      <nav aria-label="Agent sections" className="border-b border-line">
        <ul className="flex gap-4">
          {SECTIONS.map((section) => (
            <li key={section.id}>
              <a href={`#${section.id}`} className="-mb-px inline-block border-b-2 border-transparent py-2 font-medium text-muted hover:border-line hover:text-fg">
                {section.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <Section id="overview" title="Overview">
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
      </Section>

      <Section id="permissions" title={`Permissions (written list, version ${agent.listVersion})`}>
        <PermissionsTable permissions={agent.permissions} />
      </Section>

      <Section id="credentials" title="Credentials">
        <CredentialsTable credentials={agent.credentials} now={now} />
      </Section>

      <Section id="activity" title="Activity">
        <DecisionsTable decisions={agent.decisions} now={now} />
      </Section>
    </>
  );
}
