// Organisation-wide checkpoints. Admins add, edit, switch off/on and delete them; everyone else reads.
import type { Catalog } from "@/lib/catalog/list-catalog";
import type { PolicyThreshold } from "@/lib/catalog/policy-schema";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDuration } from "@/components/ui/format";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { AddPanel } from "@/components/ui/add-panel";
import { ConfirmButton } from "@/components/ui/form";
import { removePolicy, switchPolicy } from "./actions";
import { EditableRow } from "./editable-row";
import { PolicyForm, type PolicyFormValues } from "./policy-form";

type Policy = Catalog["policies"][number];

const numberFormat = new Intl.NumberFormat("en");

function threshold(conditions: unknown): PolicyThreshold | null {
  if (!conditions || typeof conditions !== "object") return null;
  const { param, above } = conditions as Partial<PolicyThreshold>;
  return typeof param === "string" && typeof above === "number" ? { param, above } : null;
}

function showConditions(conditions: unknown): string {
  if (conditions === null || conditions === undefined) return "always";
  const known = threshold(conditions);
  return known ? `${known.param} above ${numberFormat.format(known.above)}` : JSON.stringify(conditions);
}

function formValues(policy: Policy): PolicyFormValues {
  const { id, name, category, requiredApprovals, expirySeconds, maxExtendSeconds } = policy;
  return { id, name, category, action: policy.action?.key ?? null, conditions: threshold(policy.conditions), requiredApprovals, expirySeconds, maxExtendSeconds };
}

function PolicyCells({ policy }: { policy: Policy }) {
  return (
    <>
      <RowTh>{policy.name}</RowTh>
      <Td className="font-mono text-xs">{policy.action?.key ?? (policy.category ? `every ${policy.category}` : "—")}</Td>
      <Td className="text-xs">{showConditions(policy.conditions)}</Td>
      <Td className="tabular-nums">{formatCount(policy.requiredApprovals, "approver")}</Td>
      <Td className="tabular-nums">{formatDuration(policy.expirySeconds)}</Td>
      <Td className="tabular-nums">{policy.maxExtendSeconds ? formatDuration(policy.maxExtendSeconds) : "no extension"}</Td>
      <Td>{policy.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="grey">disabled</Badge>}</Td>
    </>
  );
}

function PolicyControls({ policy }: { policy: Policy }) {
  return (
    <>
      <ConfirmButton
        action={switchPolicy}
        fields={{ id: policy.id, enabled: String(!policy.enabled) }}
        label={policy.enabled ? "Disable" : "Enable"}
        ariaLabel={`${policy.enabled ? "Disable" : "Enable"} ${policy.name}`}
        question={
          policy.enabled
            ? `Disable "${policy.name}"? Matching actions stop needing this approval at once.`
            : `Enable "${policy.name}"? Matching actions need this approval from the next decision.`
        }
        confirmLabel={policy.enabled ? "Disable policy" : "Enable policy"}
      />
      <ConfirmButton
        action={removePolicy}
        fields={{ id: policy.id }}
        label="Delete"
        ariaLabel={`Delete ${policy.name}`}
        question={`Delete "${policy.name}"? A policy that has raised checkpoints can only be disabled.`}
        confirmLabel="Delete policy"
      />
    </>
  );
}

export function PoliciesSection({ policies, canManage, actionGroups }: { policies: Policy[]; canManage: boolean; actionGroups: { system: string; keys: string[] }[] }) {
  return (
    <section aria-labelledby="policies-heading" className="mt-8">
      <h2 id="policies-heading" className="mb-2 text-sm font-semibold">
        Global checkpoint policies
      </h2>
      {canManage ? (
        <AddPanel label="Add a policy">
          <PolicyForm actionGroups={actionGroups} />
        </AddPanel>
      ) : null}
      {policies.length === 0 ? (
        <EmptyState title="No global checkpoints">
          Without them only agents&apos; own written lists send actions to a human. An admin can require approval by category, e.g. for every external communication.
        </EmptyState>
      ) : (
        <Table caption="Global checkpoint policies">
          <thead>
            <tr>
              <Th>Policy</Th>
              <Th>Applies to</Th>
              <Th>When</Th>
              <Th>Approvals needed</Th>
              <Th>Expires after</Th>
              <Th>Can extend by</Th>
              <Th>State</Th>
              {canManage ? <Th>Manage</Th> : null}
            </tr>
          </thead>
          <tbody>
            {policies.map((policy) =>
              canManage ? (
                <EditableRow
                  key={policy.id}
                  label={policy.name}
                  columns={8}
                  cells={<PolicyCells policy={policy} />}
                  editor={<PolicyForm policy={formValues(policy)} actionGroups={actionGroups} />}
                  controls={<PolicyControls policy={policy} />}
                />
              ) : (
                <tr key={policy.id}>
                  <PolicyCells policy={policy} />
                </tr>
              ),
            )}
          </tbody>
        </Table>
      )}
    </section>
  );
}
