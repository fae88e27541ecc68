// Raw pg pool for the hot path and health checks (about 4× cheaper per query than Prisma here).
import "server-only";
import pg from "pg";
import { databaseUrl } from "@/lib/config/env";

const holder = globalThis as unknown as { __mandatePool?: pg.Pool };

export function pool(): pg.Pool {
  if (!holder.__mandatePool) {
    const created = new pg.Pool({ connectionString: databaseUrl(), max: 10, connectionTimeoutMillis: 2_000 });
    // An idle client losing its server must not crash the process; the next query reports it.
    created.on("error", () => {});
    // A client killed just as the pool hands it out emits "error" on the client itself.
    created.on("connect", (client) => client.on("error", () => {}));
    holder.__mandatePool = created;
  }
  return holder.__mandatePool;
}

export async function closePool(): Promise<void> {
  const existing = holder.__mandatePool;
  holder.__mandatePool = undefined;
  await existing?.end();
}
