// GET /audit/export?format=csv|jsonl|cloudevents&<the viewer's filters> — the events matching the
// filter, streamed as a download. Admins and auditors (audit.export); each export is audited.
import { withConsoleRoute } from "@/lib/auth/guard";
import { exportAuditEvents } from "@/lib/audit/export-audit";

export const dynamic = "force-dynamic";

export const GET = withConsoleRoute("audit.export", async ({ person, actor, request }) => {
  const url = new URL(request.url);
  const query: Record<string, string> = {};
  // One value per key, the first, as the viewer reads its URL.
  for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
  const result = await exportAuditEvents(person, actor, query, `${url.origin}/audit`);
  return new Response(result.body, {
    headers: {
      "content-type": result.contentType,
      "content-disposition": `attachment; filename="${result.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
