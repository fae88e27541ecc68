// The inbox's and history's filters as a GET form: they live in the URL, so a filtered view can
// be bookmarked and shared. Applying one starts again at the first page.
import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";
import type { InboxOptions } from "@/lib/approvals/inbox-options";
import { RiskLevel } from "@/lib/generated/prisma/enums";

const field = "rounded border border-line bg-surface px-2 py-1.5 text-sm text-fg";

interface Props {
  action: "/approvals" | "/approvals/history";
  options: InboxOptions;
  values: { agent?: string; system?: string; risk?: string };
  /** Extra selects (the history's outcome). */
  children?: ReactNode;
  filtered: boolean;
}

export function ApprovalFilters({ action, options, values, children, filtered }: Props) {
  return (
    <Form action={action} role="search" aria-label="Filter checkpoints" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        Agent
        <select name="agent" defaultValue={values.agent ?? ""} className={field}>
          <option value="">Any agent</option>
          {options.agents.map((agent) => (
            <option key={agent.slug} value={agent.slug}>
              {agent.name}
              {action === "/approvals" ? ` (${agent.pending})` : ""}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        System
        <select name="system" defaultValue={values.system ?? ""} className={field}>
          <option value="">Any system</option>
          {options.systems.map((system) => (
            <option key={system.key} value={system.key}>
              {system.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        Risk
        <select name="risk" defaultValue={values.risk ?? ""} className={field}>
          <option value="">Any risk</option>
          {Object.values(RiskLevel).map((risk) => (
            <option key={risk} value={risk}>
              {risk}
            </option>
          ))}
        </select>
      </label>
      {children}
      <button type="submit" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white dark:text-gray-950">
        Apply
      </button>
      {filtered ? (
        <Link href={action} className="py-1.5 text-sm font-medium text-accent underline underline-offset-2">
          Clear filters
        </Link>
      ) : null}
    </Form>
  );
}
