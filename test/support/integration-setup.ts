// Vitest setup for integration tests: every test file gets its own freshly migrated database,
// and DATABASE_URL points at it before the file's own imports read it.
import { afterAll } from "vitest";
import { closeDb } from "@/lib/db/client";
import { closePool } from "@/lib/db/pool";
import { adminUrl, createTestDatabase, dropTestDatabase } from "./database";

// Pin the admin URL first: once DATABASE_URL names the test database it is no fallback any more.
process.env.TEST_ADMIN_DATABASE_URL = adminUrl();
const url = await createTestDatabase();
process.env.DATABASE_URL = url;

afterAll(async () => {
  await closeDb();
  await closePool();
  await dropTestDatabase(url);
});
