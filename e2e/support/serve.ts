// The end-to-end server: a fresh database (on E2E_ADMIN_DATABASE_URL's server, DATABASE_URL's,
// or a throwaway embedded PostgreSQL), migrated and seeded with the demo seed, then the built app.
// The seeded sign-ins are written for the specs to read; everything is dropped on SIGTERM.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { resolveDatabase } from "@/lib/db/embedded";
import { accountsFile } from "@/e2e/support/accounts";
import { onShutdown } from "@/lib/runtime/on-shutdown";

async function main() {
  const admin = process.env.E2E_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
  const scratch = admin ? undefined : mkdtempSync(path.join(tmpdir(), "mandate-e2e-"));
  if (admin) process.env.DATABASE_URL = admin;
  const server = await resolveDatabase({ dataDir: scratch ?? ".mandate" });

  const name = `mandate_e2e_${randomBytes(4).toString("hex")}`;
  await withClient(server.url, (client) => client.query(`create database ${name}`));
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  const dataFolder = scratch ?? mkdtempSync(path.join(tmpdir(), "mandate-e2e-data-"));
  process.env.MANDATE_DATA_DIR = dataFolder;

  const { migrate } = await import("@/lib/db/migrate");
  await migrate(process.env.DATABASE_URL);
  const { db, closeDb } = await import("@/lib/db/client");
  const { seedDemo } = await import("@/lib/demo/seed-demo");
  const secrets = await seedDemo(db());
  mkdirSync(path.dirname(accountsFile), { recursive: true });
  writeFileSync(accountsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });

  const { startServer } = await import("@/lib/server/http-server");
  const http = await startServer({ port: Number(process.env.PORT ?? 3107), hostname: "127.0.0.1" });
  console.log(`e2e server at ${http.url} on database ${name}`);

  const stop = async () => {
    await http.close().catch(() => {});
    await closeDb().catch(() => {});
    const { closePool } = await import("@/lib/db/pool");
    await closePool().catch(() => {});
    const { closeNotify } = await import("@/lib/db/notify");
    await closeNotify().catch(() => {});
    await withClient(server.url, (client) => client.query(`drop database if exists ${name} with (force)`)).catch((error: unknown) => {
      console.error(`could not drop ${name}:`, error instanceof Error ? error.message : error);
    });
    await server.stop().catch(() => {});
    rmSync(dataFolder, { recursive: true, force: true });
    rmSync(accountsFile, { force: true });
  };
  onShutdown(stop);
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error("e2e server failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
