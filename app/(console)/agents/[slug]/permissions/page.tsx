import type { Metadata } from "next";
import { listCatalog } from "@/lib/catalog/list-catalog";
import { can } from "@/lib/people/capabilities";
import { effectiveDecisions } from "@/lib/permissions/effective-decisions";
import { EffectiveTable } from "./effective-table";
import { LineForm, type CatalogSystem } from "./line-form";
import { PermissionsTable } from "./permissions-table";
import { TryPanel } from "./try-panel";
import { loadAgent } from "../load-agent";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Permissions of ${slug}` };
}

export default async function AgentPermissionsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const { person, agent } = await loadAgent(slug, "permissions");
  const [{ systems }, effective] = await Promise.all([listCatalog(), effectiveDecisions(agent.id)]);
  // Only admins may change a list (agent.manage), and a retired agent's list is closed. Others
  // get no controls at all, not disabled ones; the server actions refuse them regardless.
  const editable = can(person.roles, "agents.manage") && agent.status !== "retired";
  const catalog: CatalogSystem[] = systems.map((system) => ({ key: system.key, name: system.name, actions: system.actions }));
  const editId = typeof query.edit === "string" ? query.edit : undefined;
  const editing = editable && editId ? agent.permissions.find((line) => line.id === editId) : undefined;

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="permissions-heading">
        <h2 id="permissions-heading" className="mb-2 text-sm font-semibold">
          Written list, version {agent.listVersion}
        </h2>
        <p className="mb-2 text-xs text-muted">
          Anything not on the list is denied. A never line always wins; otherwise the first line for an action whose conditions hold decides.
        </p>
        <PermissionsTable permissions={agent.permissions} editable={editable ? { agentId: agent.id, slug: agent.slug } : undefined} />
        {editable ? (
          <div id="line-form" className="mt-3">
            {editing ? (
              <>
                <h3 className="mb-2 text-sm font-semibold">Edit line {agent.permissions.indexOf(editing) + 1}</h3>
                <LineForm
                  key={editing.id}
                  mode="edit"
                  agentId={agent.id}
                  slug={agent.slug}
                  catalog={catalog}
                  permissionId={editing.id}
                  line={{
                    action: editing.action.key,
                    effect: editing.effect,
                    conditions: editing.conditions,
                    onConditionFail: editing.onConditionFail,
                    rateLimitPerMinute: editing.rateLimitPerMinute,
                    rateLimitPerHour: editing.rateLimitPerHour,
                    justification: editing.justification,
                  }}
                />
              </>
            ) : (
              <details>
                <summary className="cursor-pointer text-sm font-medium text-accent">Add a line</summary>
                <div className="mt-2">
                  <LineForm mode="add" agentId={agent.id} slug={agent.slug} catalog={catalog} />
                </div>
              </details>
            )}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="try-heading">
        <h2 id="try-heading" className="mb-2 text-sm font-semibold">
          Try an action
        </h2>
        <p className="mb-2 text-xs text-muted">Asks the decision engine what it would answer if this agent asked, against the list as it is now. Nothing is recorded.</p>
        <TryPanel agentId={agent.id} actionKeys={systems.flatMap((system) => system.actions.map((action) => action.key))} />
      </section>

      <section aria-labelledby="effective-heading">
        <h2 id="effective-heading" className="mb-2 text-sm font-semibold">
          Effective decision per action
        </h2>
        <p className="mb-2 text-xs text-muted">What the engine answers right now for each catalog action asked with no resource and no parameters.</p>
        {effective ? <EffectiveTable rows={effective} /> : null}
      </section>
    </div>
  );
}
