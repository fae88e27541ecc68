// `npm run serve`: the console and the agent API on one port. Uses DATABASE_URL when set,
// otherwise an embedded PostgreSQL in the data folder; migrates; seeds the demo on the first
// start of an embedded database (or with --demo / MANDATE_DEMO=1); stops cleanly on signals.
import { dataDir, listenHost, listenPort } from "@/lib/config/env";
import { resolveDatabase, type DatabaseHandle } from "@/lib/db/embedded";
import { onShutdown } from "@/lib/runtime/on-shutdown";
import { describeStartupError } from "@/scripts/startup-errors";

const log = (line: string) => console.log(line);

async function main() {
  const port = listenPort();
  const hostname = listenHost();
  const folder = dataDir();
  const dev = process.env.MANDATE_DEV === "1";
  const demoAsked = process.argv.includes("--demo") || process.env.MANDATE_DEMO === "1";
  const demoRefused = process.env.MANDATE_DEMO === "0";

  // Misconfigured single sign-on stops the start with one line, not every later sign-in.
  const { oidcConfig } = await import("@/lib/auth/oidc");
  oidcConfig();
  // So does a bad MANDATE_DRILL_MAX_AGE_DAYS or MANDATE_DRILL_ACK_WINDOW_SECONDS, rather than every later activation or sweep.
  const { killDrillMaxAgeDays } = await import("@/lib/agents/activation-checks");
  killDrillMaxAgeDays();
  const { drillAckWindowMs } = await import("@/lib/kill/fail-unacknowledged-drills");
  drillAckWindowMs();
  const { trustedProxyHops } = await import("@/lib/server/client-address");
  trustedProxyHops();
  const { ensureSessionSecret } = await import("@/lib/auth/secret");
  process.env.NEXTAUTH_SECRET = ensureSessionSecret(folder);
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;

  // Filled as startup proceeds, so a signal during startup stops what already runs.
  const running: { database?: DatabaseHandle; server?: { url: string; close(): Promise<void> } } = {};
  onShutdown(async () => {
    log("\nStopping Mandate …");
    const { closeDb } = await import("@/lib/db/client");
    const { closePool } = await import("@/lib/db/pool");
    await running.server?.close().catch(() => {});
    const { closeNotify } = await import("@/lib/db/notify");
    await Promise.allSettled([closeDb(), closePool(), closeNotify()]);
    await running.database?.stop().catch(() => {});
  });

  const database = await resolveDatabase({ dataDir: folder, log });
  running.database = database;
  process.env.DATABASE_URL = database.url;
  log(database.embedded ? `Database: embedded PostgreSQL in ${folder}/pg` : "Database: DATABASE_URL");

  const { migrate } = await import("@/lib/db/migrate");
  await migrate(database.url, { log });

  const seeded = await maybeSeedDemo({ wanted: demoAsked || (database.embedded && !demoRefused) });

  const { startServer } = await import("@/lib/server/http-server");
  const server = await startServer({ port, hostname, dev });
  running.server = server;
  log(`\nMandate is running at ${server.url}${dev ? " (development mode)" : ""}`);
  if (seeded) log(seeded);
  else {
    log("Sign in with an existing account (the demo's sign-ins were printed once, at the first start).");
    log("Add an administrator with `npm run mandate -- create-admin`.");
  }
}

async function maybeSeedDemo({ wanted }: { wanted: boolean }): Promise<string | null> {
  if (!wanted) return null;
  const { db } = await import("@/lib/db/client");
  if ((await db().person.count()) > 0) return null;
  const { seedDemo } = await import("@/lib/demo/seed-demo");
  const { formatDemoSignIns } = await import("@/scripts/cli/format-demo");
  const result = await seedDemo(db(), { log });
  return formatDemoSignIns(result);
}

main().catch((error: unknown) => {
  const line = describeStartupError(error);
  console.error(line);
  process.exit(1);
});

