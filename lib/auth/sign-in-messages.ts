// What a person is told when sign-in fails. Shared by the server (which decides) and the sign-in
// page (which may only echo these texts, never an arbitrary ?error= value from a link).
export const WRONG_CREDENTIALS = "Wrong e-mail or password.";
export const ACCOUNT_DISABLED = "This account is disabled. Ask an administrator.";
export const SIGN_IN_UNAVAILABLE = "Sign-in is unavailable right now. Try again in a moment.";
export const INVALID_EMAIL = "Enter a valid e-mail address.";
export const MISSING_PASSWORD = "Enter your password.";
export const PASSWORD_TOO_LONG = "That password is too long.";

const KNOWN = [WRONG_CREDENTIALS, ACCOUNT_DISABLED, SIGN_IN_UNAVAILABLE, INVALID_EMAIL, MISSING_PASSWORD, PASSWORD_TOO_LONG];

export function lockedMessage(lockedUntil: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** The per-client brake (client-throttle.ts): worded apart from an account's lock. */
export function clientLockedMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return `Too many failed sign-ins from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

const LOCKED = /^Too many failed sign-ins( from your network)?\. Try again in \d{1,3} minutes?\.$/;

/** The text to show for an error code or message handed back by next-auth. */
export function signInErrorText(error: string | null | undefined, ssoLabel: string | null): string | null {
  if (!error) return null;
  if (error === "CredentialsSignin") return WRONG_CREDENTIALS;
  if (KNOWN.includes(error) || LOCKED.test(error)) return error;
  if (error === "SessionRequired") return "Sign in to continue.";
  if (error === "AccessDenied") {
    return `Your ${ssoLabel ?? "single sign-on"} account does not match an enabled person in Mandate. Ask an administrator.`;
  }
  return ssoLabel ? "Sign-in did not complete. Try again, or use your e-mail and password." : "Sign-in did not complete. Try again.";
}
