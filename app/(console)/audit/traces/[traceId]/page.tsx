import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { getTrace, TRACE_LIMIT } from "@/lib/audit/get-trace";
import { TraceTree } from "@/components/audit/trace-tree";
import { formatCount } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Trace" };

export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId: raw } = await params;
  // Page params arrive still percent-encoded (vercel/next.js#48058); a malformed one is not a trace.
  const traceId = safeDecode(raw);
  if (traceId === null) notFound();
  const person = await requirePage("audit.view", { path: `/audit/traces/${encodeURIComponent(traceId)}` });
  const trace = await getTrace(person, traceId);
  if (!trace) notFound();
  return (
    <>
      <PageHeader
        title="Trace"
        description={
          <>
            <span className="font-mono">{trace.traceId}</span>: {formatCount(trace.decisions, "decision")} by agents acting for one another, each under
            the decision it was made for.{trace.truncated ? ` Only the first ${TRACE_LIMIT} are drawn.` : ""}
          </>
        }
      >
        <Link href={`/audit?trace=${encodeURIComponent(trace.traceId)}`} className="text-sm font-medium text-accent underline underline-offset-2">
          Every event in this trace
        </Link>
      </PageHeader>
      <TraceTree roots={trace.roots} />
    </>
  );
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
