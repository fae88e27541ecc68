// `mandate seed-demo`: the demo organisation, its sign-ins and agent keys printed once.
import { db } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import { defineCommand } from "@/scripts/cli/command";
import { formatDemoSignIns } from "@/scripts/cli/format-demo";

export const seedDemoCommand = defineCommand({
  name: "seed-demo",
  summary: "Create the demo organisation (people, agents, a week of decisions).",
  usage: "seed-demo",
  details: ["Refuses when the database already has the demo. Prints the passwords and agent keys once."],
  options: {},
  needsSchema: true,
  async prepare() {},
  async run(_input, { log }) {
    const result = await seedDemo(db(), { log });
    log(formatDemoSignIns(result));
    log("Save them now: they are stored only as hashes and are not shown again.");
  },
});
