// The one Prisma client of a process, created on first use with the pg driver adapter.
// Secrets (password, key and token hashes) are omitted unless a query asks for them.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/config/env";

function createClient(url: string) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 10 }),
    omit: {
      person: { passwordHash: true },
      credential: { secretHash: true },
      delegation: { tokenHash: true },
    },
  });
}

export type Db = ReturnType<typeof createClient>;
/** The client inside db().$transaction(async (tx) => …). */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const holder = globalThis as unknown as { __mandateDb?: Db };

export function db(): Db {
  holder.__mandateDb ??= createClient(databaseUrl());
  return holder.__mandateDb;
}

export async function closeDb(): Promise<void> {
  const client = holder.__mandateDb;
  holder.__mandateDb = undefined;
  await client?.$disconnect();
}
