// Systems and their actions. Admins get add, edit and delete controls; everyone else reads.
import type { Catalog } from "@/lib/catalog/list-catalog";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { AddPanel } from "@/components/ui/add-panel";
import { ConfirmButton } from "@/components/ui/form";
import { removeAction, removeSystem } from "./actions";
import { ActionForm } from "./action-form";
import { EditableRow } from "./editable-row";
import { SystemForm } from "./system-form";

type System = Catalog["systems"][number];
type Action = System["actions"][number];

function ActionCells({ action }: { action: Action }) {
  return (
    <>
      <RowTh className="font-mono text-xs">{action.key}</RowTh>
      <Td>
        {action.name}
        {action.description ? <div className="text-xs text-muted">{action.description}</div> : null}
      </Td>
      <Td>
        <CategoryLabel category={action.category} />
      </Td>
      <Td>
        <RiskBadge risk={action.risk} />
      </Td>
    </>
  );
}

function ActionsTable({ system, canManage }: { system: System; canManage: boolean }) {
  return (
    <Table caption={`Actions of ${system.name}`}>
      <thead>
        <tr>
          <Th>Action</Th>
          <Th>Name</Th>
          <Th>Category</Th>
          <Th>Risk</Th>
          {canManage ? <Th>Manage</Th> : null}
        </tr>
      </thead>
      <tbody>
        {system.actions.map((action) =>
          canManage ? (
            <EditableRow
              key={action.id}
              label={action.key}
              columns={5}
              cells={<ActionCells action={action} />}
              editor={<ActionForm systemKey={system.key} action={action} />}
              controls={
                <ConfirmButton
                  action={removeAction}
                  fields={{ key: action.key }}
                  label="Delete"
                  ariaLabel={`Delete ${action.key}`}
                  question={`Delete ${action.key}? Only possible while no written list or policy uses it.`}
                  confirmLabel="Delete action"
                />
              }
            />
          ) : (
            <tr key={action.id}>
              <ActionCells action={action} />
            </tr>
          ),
        )}
      </tbody>
    </Table>
  );
}

function SystemAdmin({ system }: { system: System }) {
  return (
    <div className="mb-2 flex flex-wrap items-start gap-2">
      <details className="rounded-md border border-line bg-surface">
        <summary className="cursor-pointer select-none px-2 py-0.5 text-xs font-medium" aria-label={`Edit system ${system.key}`}>
          Edit system
        </summary>
        <div className="border-t border-line p-3">
          <SystemForm system={system} />
        </div>
      </details>
      <ConfirmButton
        action={removeSystem}
        fields={{ key: system.key }}
        label="Delete system"
        ariaLabel={`Delete system ${system.key}`}
        question={`Delete ${system.key}? Only possible once it has no actions.`}
        confirmLabel="Delete system"
      />
    </div>
  );
}

export function SystemsSection({ systems, canManage }: { systems: System[]; canManage: boolean }) {
  return (
    <section aria-labelledby="systems-heading">
      <h2 id="systems-heading" className="mb-2 text-sm font-semibold">
        Systems and actions
      </h2>
      {canManage ? (
        <AddPanel label="Add a system">
          <SystemForm />
        </AddPanel>
      ) : null}
      {systems.length === 0 ? (
        <EmptyState title="The catalog is empty">An admin adds systems (such as crm) and their actions before agents can be given a written list.</EmptyState>
      ) : (
        <div className="space-y-6">
          {systems.map((system) => (
            <section key={system.id} aria-labelledby={`system-${system.key}`}>
              <h3 id={`system-${system.key}`} className="mb-1 font-medium">
                {system.name} <span className="font-mono text-xs text-muted">{system.key}</span>
                <span className="ml-2 text-xs font-normal text-muted">{formatCount(system.actions.length, "action")}</span>
              </h3>
              {system.description ? <p className="mb-2 text-muted">{system.description}</p> : null}
              {canManage ? <SystemAdmin system={system} /> : null}
              {canManage ? (
                <AddPanel label={`Add an action to ${system.key}`}>
                  <ActionForm systemKey={system.key} />
                </AddPanel>
              ) : null}
              {system.actions.length === 0 ? <EmptyState title="No actions in this system yet" /> : <ActionsTable system={system} canManage={canManage} />}
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
