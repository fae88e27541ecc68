import { agentRelation, hasAgentRight } from "@/lib/people/agent-rights";
import { latestExpiry } from "@/lib/credentials/create-agent-key";
import { db } from "@/lib/db/client";
import { CreateKeyForm } from "./create-key-form";
import { CredentialsTable } from "./credentials-table";
import { RevokeControl } from "./revoke-controls";
import { loadAgent, type AgentPageProps } from "../load-agent";

export default async function AgentCredentialsPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent, person } = await loadAgent(slug, "credentials");
  const relation = await agentRelation(db(), person.id, agent.id);
  // Controls only for those the use cases would let through; the use cases check again.
  const canManage = relation !== null && hasAgentRight(person.roles, relation, "agent.credentials");
  const now = new Date();
  const unrevoked = agent.credentials.filter((credential) => !credential.revokedAt).length;

  return (
    <section aria-labelledby="credentials-heading">
      <h2 id="credentials-heading" className="mb-2 text-sm font-semibold">
        API keys
      </h2>
      {canManage && agent.status === "retired" ? (
        <p className="mb-3 text-muted">This agent is retired: it cannot be given new keys.</p>
      ) : null}
      {canManage && agent.status !== "retired" ? <CreateKeyForm agentId={agent.id} maxDate={latestExpiry(now).toISOString().slice(0, 10)} /> : null}
      <CredentialsTable credentials={agent.credentials} now={now} manageFor={canManage ? agent.id : undefined} />
      {canManage && unrevoked > 0 ? (
        <div className="mt-3">
          <RevokeControl scope="all" agentId={agent.id} live={unrevoked} />
        </div>
      ) : null}
    </section>
  );
}
