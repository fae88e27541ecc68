import { DecisionsTable } from "./decisions-table";
import { loadAgent, type AgentPageProps } from "../load-agent";

export default async function AgentActivityPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent } = await loadAgent(slug, "activity");
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading" className="mb-2 text-sm font-semibold">
        Latest decisions
      </h2>
      <DecisionsTable decisions={agent.decisions} now={new Date()} />
    </section>
  );
}
