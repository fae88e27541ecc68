// The shape every `npm run mandate -- <command>` takes. A command turns its flags (and, in a
// terminal, prompts) into input before the database is touched, then runs against it.
import type { ParseArgsConfig } from "node:util";

export type Flags = Record<string, string | boolean | undefined>;

export interface CliContext {
  /** The database URL in use (DATABASE_URL or the embedded PostgreSQL). */
  url: string;
  /** Progress and results, for the operator. */
  log(line: string): void;
}

/** How a command is written: input first (flags, prompts), then the work against the database. */
export interface CommandSpec<Input> {
  name: string;
  summary: string;
  /** e.g. "create-admin --email <e-mail> --name <name> [--password <password>]" */
  usage: string;
  /** Extra lines under the usage line. */
  details?: string[];
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Names of positional arguments, in order; prepare() sees them as flags of those names. */
  positionals?: readonly string[];
  /** Run the migrations before `run` (every command that reads or writes the schema). */
  needsSchema: boolean;
  prepare(flags: Flags): Promise<Input>;
  run(input: Input, context: CliContext): Promise<void>;
}

/** A command as the runner sees it: preparing returns the work still to do against the database. */
export interface CliCommand extends Omit<CommandSpec<unknown>, "prepare" | "run"> {
  prepare(flags: Flags): Promise<(context: CliContext) => Promise<void>>;
}

export function defineCommand<Input>({ prepare, run, ...about }: CommandSpec<Input>): CliCommand {
  return {
    ...about,
    prepare: async (flags) => {
      const input = await prepare(flags);
      return (context) => run(input, context);
    },
  };
}

/** A mistake in how the CLI was called: usage is printed and the exit code is 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The operator stopped a prompt (Ctrl-C). */
export class CancelledError extends Error {
  override name = "CancelledError";
}
