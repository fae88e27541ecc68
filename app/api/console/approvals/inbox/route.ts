// GET /api/console/approvals/inbox?agent=&system=&risk=&after=&version= — the inbox page the
// console polls every second. It answers `{ unchanged: true }` while the change marker still equals
// `version` (two index reads), and the whole page only when something changed.
import { withConsoleRoute } from "@/lib/auth/guard";
import { inboxFiltersSchema } from "@/lib/approvals/inbox-filters";
import { inboxVersion } from "@/lib/approvals/inbox-version";
import { listInbox } from "@/lib/approvals/list-inbox";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

export const GET = withConsoleRoute("approvals.view", async ({ request, person }) => {
  const query = new URL(request.url).searchParams;
  const filters = inboxFiltersSchema.parse(Object.fromEntries(query));
  // Read before the page: a change in between makes the next poll fetch again, never the reverse.
  const version = await inboxVersion();
  const serverNow = new Date();
  if (query.get("version") === version) return Response.json({ version, serverNow: serverNow.toISOString(), unchanged: true }, { headers: NO_STORE });
  const page = await listInbox(person, filters, serverNow);
  return Response.json({ version, serverNow: serverNow.toISOString(), page }, { headers: NO_STORE });
});
