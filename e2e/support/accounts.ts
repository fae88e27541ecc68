// The sign-ins that e2e/support/serve.ts seeded for this run (random per run, like the demo's).
import { readFileSync } from "node:fs";
import path from "node:path";

export const accountsFile = path.resolve(".mandate/e2e/accounts.json");

export interface SeededAccount {
  role: string;
  email: string;
  name: string;
  password: string;
}

export function seededAccounts(): { people: SeededAccount[]; agentKeys: Array<{ agent: string; key: string }> } {
  return JSON.parse(readFileSync(accountsFile, "utf8"));
}

export function account(role: string): SeededAccount {
  const found = seededAccounts().people.find((person) => person.role === role);
  if (!found) throw new Error(`The e2e seed has no account with role "${role}".`);
  return found;
}
