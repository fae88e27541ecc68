// The overview's headline numbers as JSON, polled by the console every few seconds.
import { withConsoleRoute } from "@/lib/auth/guard";
import { getOverviewStats } from "@/lib/monitoring/overview-stats";

export const dynamic = "force-dynamic";

export const GET = withConsoleRoute("console.view", async () =>
  Response.json(await getOverviewStats(), { headers: { "cache-control": "no-store" } }),
);
