// A generated password for a new or reset account, handed to the admin once and stored only as
// a hash. It must pass the same strength rule as a chosen one (e.g. not contain the e-mail).
import "server-only";
import { generatePassword, passwordWeakness } from "@/lib/auth/password";

export function oneTimePassword(context: { email: string; name: string }): string {
  // A random password fails the rule only by rare accident (a common word or the e-mail's
  // local part inside it); draw again rather than hand out one the sign-in rules reject.
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const password = generatePassword();
    if (!passwordWeakness(password, context)) return password;
  }
  throw new Error("Could not generate an acceptable password.");
}
