import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { filterParams, isFiltered, type AuditFilter } from "@/lib/audit/audit-filter";
import { listAuditFilterOptions } from "@/lib/audit/audit-filter-options";
import { AUDIT_PAGE_SIZE, listAuditEvents } from "@/lib/audit/list-audit-events";
import { can } from "@/lib/people/capabilities";
import { AuditEventsTable } from "@/components/audit/audit-events-table";
import { AuditFilterForm, type FilterValues } from "@/components/audit/audit-filter-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { firstValues, type RawSearchParams } from "../search-params";
import { VerifyButton } from "./verify-button";

export const metadata: Metadata = { title: "Audit" };

const link = "text-sm font-medium text-accent underline underline-offset-2";

/** The parsed filter as form values (times as datetime-local, UTC). */
function formValues(filter: Partial<AuditFilter>): FilterValues {
  const time = (date?: Date) => (date ? date.toISOString().slice(0, 16) : undefined);
  return { ...filter, from: time(filter.from), to: time(filter.to) };
}

function href(filter: Partial<AuditFilter>, page: { before?: string; after?: string }): string {
  const query = filterParams(filter as AuditFilter, page).toString();
  return query ? `/audit?${query}` : "/audit";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const person = await requirePage("audit.view", { path: "/audit" });
  const now = new Date();
  const raw = firstValues(await searchParams);
  const [page, options] = await Promise.all([listAuditEvents(raw), listAuditFilterOptions()]);
  const filter = page.filters;
  const errors = Object.fromEntries((page.errors ?? []).map((error) => [error.path, error.message]));
  const values: FilterValues = page.errors ? (raw as FilterValues) : formValues(filter);
  const filtered = page.errors ? true : isFiltered(filter as AuditFilter);
  const exportable = !page.errors && can(person.roles, "audit.export");
  const exportQuery = exportable ? filterParams(filter as AuditFilter).toString() : "";

  return (
    <>
      <PageHeader
        title="Audit"
        description="Everything agents and people did, newest first. The trail is append-only and hash-chained; a row opens its full record."
      />
      <AuditFilterForm values={values} errors={errors} options={options} filtered={filtered} />

      {page.errors ? (
        <div role="alert" className="mb-4 rounded-md border border-amber-500/60 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">
          <p className="font-medium">These filters cannot be applied, so nothing is listed:</p>
          <ul className="mt-1 list-disc pl-5">
            {page.errors.map((error) => (
              <li key={`${error.path}:${error.message}`}>
                <span className="font-mono">{error.path}</span>: {error.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        {exportable ? (
          <p className="flex flex-wrap items-center gap-3 py-1.5 text-sm text-muted">
            <span>Export {filtered ? "these filters" : "every event"}:</span>
            {(
              [
                ["csv", "CSV"],
                ["jsonl", "JSON Lines"],
                ["cloudevents", "CloudEvents"],
              ] as const
            ).map(([format, name]) => (
              <a key={format} href={`/audit/export?${exportQuery ? `${exportQuery}&` : ""}format=${format}`} className={link} download>
                {name}
              </a>
            ))}
          </p>
        ) : (
          <span />
        )}
        <VerifyButton />
      </div>

      {page.errors ? null : page.events.length === 0 ? (
        filtered || page.older ? (
          <EmptyState title="No events match these filters">
            Widen the time range, check the spelling of the type or action, or <Link href="/audit" className="text-accent underline">clear the filters</Link>.
          </EmptyState>
        ) : (
          <EmptyState title="The audit trail is empty">Every change people make and every agent decision is recorded here as it happens.</EmptyState>
        )
      ) : (
        <AuditEventsTable events={page.events} now={now} caption={`Audit events, newest first, ${AUDIT_PAGE_SIZE} a page`} />
      )}

      {page.newer || page.older ? (
        <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm">
          {page.newer ? (
            <Link href={href(filter, { after: page.newer })} className={link} rel="prev">
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {page.older ? (
            <Link href={href(filter, { before: page.older })} className={link} rel="next">
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
