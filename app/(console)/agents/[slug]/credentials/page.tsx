import { CredentialsTable } from "./credentials-table";
import { loadAgent, type AgentPageProps } from "../load-agent";

export default async function AgentCredentialsPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent } = await loadAgent(slug, "credentials");
  return (
    <section aria-labelledby="credentials-heading">
      <h2 id="credentials-heading" className="mb-2 text-sm font-semibold">
        API keys
      </h2>
      <CredentialsTable credentials={agent.credentials} now={new Date()} />
    </section>
  );
}
