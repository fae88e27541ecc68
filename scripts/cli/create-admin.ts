// `mandate create-admin`: the first (or an emergency) administrator, created through the same
// use case as the console's People page and audited as done through the CLI.
import { passwordWeakness } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";
import { createPerson, createPersonSchema } from "@/lib/people/create-person";
import { UsageError, defineCommand, type Flags } from "@/scripts/cli/command";
import { ask, askHidden, interactive } from "@/scripts/cli/prompt";

const ATTEMPTS = 3;

interface Input {
  email: string;
  name: string;
  password: string;
}

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

async function askNewPassword(context: { email: string; name: string }): Promise<string> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const password = await askHidden("Password: ");
    const weakness = passwordWeakness(password, context);
    if (weakness) {
      process.stderr.write(`Too weak: ${weakness}\n`);
      continue;
    }
    if ((await askHidden("Repeat password: ")) === password) return password;
    process.stderr.write("The passwords do not match.\n");
  }
  throw new AppError("validation_failed", `No acceptable password after ${ATTEMPTS} attempts; nothing was created.`);
}

export const createAdmin = defineCommand<Input>({
  name: "create-admin",
  summary: "Create an administrator who can sign in to the console.",
  usage: "create-admin --email <e-mail> --name <name> [--password <password>]",
  details: [
    "In a terminal, missing values are asked for (the password hidden, twice).",
    "--password is visible to other users of this machine (ps, shell history); prefer the prompt.",
  ],
  options: { email: { type: "string" }, name: { type: "string" }, password: { type: "string" } },
  needsSchema: true,
  async prepare(flags) {
    let email = text(flags, "email");
    let name = text(flags, "name");
    let password = text(flags, "password");
    const missing = ["email", "name", "password"].filter((flag) => text(flags, flag) === undefined);
    if (missing.length > 0 && !interactive()) {
      throw new UsageError(`create-admin needs ${missing.map((flag) => `--${flag}`).join(", ")} when not run in a terminal.`);
    }
    email ??= await ask("E-mail: ");
    name ??= await ask("Name: ");
    // The same rules createPerson applies, checked before anyone types a password.
    const identity = createPersonSchema.pick({ email: true, name: true }).safeParse({ email, name });
    if (!identity.success) throw new AppError("validation_failed", "The administrator is not valid.", fieldsFromZod(identity.error.issues));
    if (password === undefined) {
      password = await askNewPassword({ email, name });
    } else {
      // Checked before the database starts, so a weak password fails at once.
      const weakness = passwordWeakness(password, { email, name });
      if (weakness) throw new AppError("validation_failed", `The password is too weak: ${weakness}`);
    }
    return { email, name, password };
  },
  async run(input, { log }) {
    const person = await db().$transaction((tx) => createPerson(tx, { type: "system", via: "cli" }, { ...input, roles: ["admin"] }));
    log(`Created administrator ${person.name} <${person.email}>. They can sign in to the console now.`);
  },
});
