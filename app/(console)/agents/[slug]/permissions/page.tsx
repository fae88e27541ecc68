import { PermissionsTable } from "./permissions-table";
import { loadAgent, type AgentPageProps } from "../load-agent";

export default async function AgentPermissionsPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent } = await loadAgent(slug, "permissions");
  return (
    <section aria-labelledby="permissions-heading">
      <h2 id="permissions-heading" className="mb-2 text-sm font-semibold">
        Written list, version {agent.listVersion}
      </h2>
      <PermissionsTable permissions={agent.permissions} />
    </section>
  );
}
