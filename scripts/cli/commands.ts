// Every command of `npm run mandate`, in the order `help` lists them. Add new ones here.
import type { CliCommand } from "@/scripts/cli/command";
import { createAdmin } from "@/scripts/cli/create-admin";
import { migrateCommand } from "@/scripts/cli/migrate";
import { seedDemoCommand } from "@/scripts/cli/seed-demo";

export const COMMANDS: readonly CliCommand[] = [migrateCommand, createAdmin, seedDemoCommand];
