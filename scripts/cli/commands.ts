// Every command of `npm run mandate`, in the order `help` lists them. Add new ones here.
import { agentCreateCommand } from "@/scripts/cli/agent-create";
import { agentsExportCommand } from "@/scripts/cli/agents-export";
import { agentsImportCommand } from "@/scripts/cli/agents-import";
import { auditHeadCommand } from "@/scripts/cli/audit-head";
import { auditVerifyCommand } from "@/scripts/cli/audit-verify";
import type { CliCommand } from "@/scripts/cli/command";
import { createAdmin } from "@/scripts/cli/create-admin";
import { keyCreateCommand } from "@/scripts/cli/key-create";
import { keyRevokeCommand } from "@/scripts/cli/key-revoke";
import { migrateCommand } from "@/scripts/cli/migrate";
import { seedDemoCommand } from "@/scripts/cli/seed-demo";

export const COMMANDS: readonly CliCommand[] = [
  migrateCommand,
  createAdmin,
  seedDemoCommand,
  agentCreateCommand,
  agentsExportCommand,
  agentsImportCommand,
  keyCreateCommand,
  keyRevokeCommand,
  auditVerifyCommand,
  auditHeadCommand,
];
