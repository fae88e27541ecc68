// GET /api/console/approvals/checkpoints/:id[?opened=1] — one checkpoint's details for the inbox.
// `opened=1` is sent once per opening in a page view and is audited (a view of the parameters);
// the inbox's background refreshes of the open checkpoint leave it out, and are audited only when
// they are the person's first read of it: leaving out `opened=1` never hides a read.
import { withConsoleRoute } from "@/lib/auth/guard";
import { getCheckpointDetail } from "@/lib/approvals/get-checkpoint-detail";

export const dynamic = "force-dynamic";

export const GET = withConsoleRoute<{ id: string }>("approvals.view", async ({ request, person, actor, params }) => {
  const opened = new URL(request.url).searchParams.get("opened") === "1" ? true : "first";
  const detail = await getCheckpointDetail(person, actor, params.id, { opened });
  return Response.json(detail, { headers: { "cache-control": "no-store" } });
});
