// Configuration for the Prisma CLI. Mandate applies migrations with its own runner
// (lib/db/migrate.ts); the CLI is used for `prisma generate` and, where its engine exists,
// `prisma migrate deploy`, which agrees with the runner's _prisma_migrations records.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/mandate" },
});
