// Runs one CLI command: parses its flags, prepares its input, brings up the database (and the
// schema) only when needed, and always shuts it down. Errors become exit codes and one line:
// 2 for a usage mistake, 1 for an operator error, 1 plus "this is a bug" for anything else.
import { parseArgs } from "node:util";
import { ConfigError, dataDir } from "@/lib/config/env";
import { resolveDatabase } from "@/lib/db/embedded";
import { AppError } from "@/lib/http/errors";
import { CancelledError, UsageError, type CliCommand } from "@/scripts/cli/command";
import { COMMANDS } from "@/scripts/cli/commands";

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

export function usage(command?: CliCommand): string {
  if (command) {
    return [`Usage: npm run mandate -- ${command.usage}`, "", command.summary, ...(command.details ?? [])].join("\n");
  }
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "Usage: npm run mandate -- <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${"help".padEnd(width)}Show this help, or a command's with <command> --help.`,
    "",
    "Uses DATABASE_URL when set, otherwise the embedded PostgreSQL in the data folder (MANDATE_DATA_DIR, default .mandate).",
  ].join("\n");
}

/** Runs the CLI and returns the exit code; never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = findCommand(rest)?.command;
    (name === undefined ? err : out)(usage(topic));
    return name === undefined ? 2 : 0;
  }
  const { command, args } = findCommand(argv) ?? {};
  if (!command || !args) {
    err(`mandate: unknown command "${name}".\n`);
    err(usage());
    return 2;
  }
  try {
    await runCommand(command, args);
    return 0;
  } catch (error) {
    return report(error, command);
  }
}

/** Commands are one word ("migrate") or two ("agent create"); the longer name wins. */
function findCommand(argv: readonly string[]): { command: CliCommand; args: string[] } | undefined {
  const two = COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { command: two, args: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === argv[0]);
  return one ? { command: one, args: argv.slice(1) } : undefined;
}

async function runCommand(command: CliCommand, args: string[]): Promise<void> {
  let flags;
  try {
    const names = command.positionals ?? [];
    const parsed = parseArgs({ args, options: { ...command.options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: names.length > 0 });
    if (parsed.positionals.length > names.length) throw new UsageError(`Unexpected argument "${parsed.positionals[names.length]}".`);
    // Named positionals ("agents import <file>") reach prepare() as flags of that name.
    flags = { ...parsed.values, ...Object.fromEntries(parsed.positionals.map((value, index) => [names[index], value])) };
  } catch (error) {
    // parseArgs explains unknown options and missing values in one sentence.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (flags.help) {
    out(usage(command));
    return;
  }
  const work = await command.prepare(flags as Record<string, string | boolean | undefined>);

  // Progress goes to stderr, so stdout holds only results (`--json` promises exactly one object).
  const database = await resolveDatabase({ dataDir: dataDir(), log: err });
  process.env.DATABASE_URL = database.url;
  try {
    if (command.needsSchema) {
      const { migrate } = await import("@/lib/db/migrate");
      const { applied } = await migrate(database.url);
      if (applied.length > 0) err(`Applied ${applied.length} migration(s) first.`);
    }
    await work({ url: database.url, log: out });
  } finally {
    const [{ closeDb }, { closePool }] = await Promise.all([import("@/lib/db/client"), import("@/lib/db/pool")]);
    await Promise.allSettled([closeDb(), closePool()]);
    await database.stop().catch(() => {});
  }
}

function report(error: unknown, command: CliCommand): number {
  if (error instanceof UsageError) {
    err(`mandate: ${error.message}`);
    err(usage(command));
    return 2;
  }
  if (error instanceof CancelledError) {
    err("mandate: cancelled; nothing was changed.");
    return 130;
  }
  if (error instanceof AppError) {
    const fields = error.fields?.filter((field) => !error.message.includes(field.message)) ?? [];
    err(`mandate: ${error.message}${fields.length ? ` (${fields.map((f) => `${f.path}: ${f.message}`).join("; ")})` : ""}`);
    return 1;
  }
  if (error instanceof ConfigError || (error instanceof Error && error.name === "MigrationError")) {
    err(`mandate: ${error.message}`);
    return 1;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "28P01" || code === "3D000") {
    err(`mandate: cannot reach the database in DATABASE_URL (${String(code)}).`);
    return 1;
  }
  err(`mandate: unexpected error, this is a bug: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
