// `mandate migrate`: applies the pending migrations and says which.
import { migrate } from "@/lib/db/migrate";
import { defineCommand } from "@/scripts/cli/command";

export const migrateCommand = defineCommand({
  name: "migrate",
  summary: "Apply pending database migrations.",
  usage: "migrate",
  options: {},
  needsSchema: false,
  async prepare() {},
  async run(_input, { url, log }) {
    const { applied } = await migrate(url);
    if (applied.length === 0) log("The database is up to date; no migration to apply.");
    for (const name of applied) log(`Applied ${name}`);
  },
});
