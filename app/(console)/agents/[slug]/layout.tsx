import Link from "next/link";
import type { ReactNode } from "react";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { StatusBadge } from "@/components/ui/status-badge";
import { AgentTabs } from "./agent-tabs";
import { loadAgent } from "./load-agent";

export default async function AgentLayout({ params, children }: { params: Promise<{ slug: string }>; children: ReactNode }) {
  const { slug } = await params;
  const { agent } = await loadAgent(slug);
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
      <AgentTabs slug={agent.slug} />
      {children}
    </>
  );
}
