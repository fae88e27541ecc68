// next-auth configuration. The session cookie is a JWT holding only the person id, a stamp of the
// password it was opened with and the sign-in time; roles, the disabled flag and the password are
// checked against the database on every request (lib/auth/current-person.ts), so a reset ends old
// sessions, and no session outlives SESSION_MAX_HOURS however active it is.
import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { authenticate } from "@/lib/auth/authenticate";
import { OIDC_PROVIDER_ID, admitOidcIdentity, oidcConfig, personIdForOidcSubject, type OidcConfig } from "@/lib/auth/oidc";
import { requestMeta, vouchedClient, type RequestMeta } from "@/lib/auth/request-meta";
import { ensureSessionSecret } from "@/lib/auth/secret";
import { SIGN_IN_UNAVAILABLE } from "@/lib/auth/sign-in-messages";
import { dataDir } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { passwordStamp } from "@/lib/auth/password-stamp";

declare module "next-auth" {
  interface Session {
    personId?: string;
    /** passwordStamp() of the password hash when the session was opened. */
    stamp?: string;
    /** When the person signed in (seconds since the epoch): the session's absolute limit runs from here. */
    signedInAt?: number;
  }
}

/** Idle limit: the cookie is renewed while the person works, and lapses after this long unused. */
const SESSION_HOURS = 8;
/** Absolute limit: however active, a session ends this long after its sign-in (a stolen cookie too). */
export const SESSION_MAX_HOURS = 12;

/** Whether a session opened at `signedInAt` (seconds) is still within its absolute limit at `nowMs`. */
export function withinSessionLimit(signedInAt: unknown, nowMs: number): boolean {
  if (typeof signedInAt !== "number" || !Number.isFinite(signedInAt)) return false;
  const ageMs = nowMs - signedInAt * 1000;
  // A sign-in in the future is a forged or mis-stamped token: refused as well.
  return ageMs >= -60_000 && ageMs < SESSION_MAX_HOURS * 3_600_000;
}

const oidc = oidcConfig();

export function oidcEnabled(): boolean {
  return oidc !== null;
}

/** The label of the single sign-on button, or null when single sign-on is off. */
export function oidcLabel(): string | null {
  return oidc?.label ?? null;
}

const credentials = CredentialsProvider({
  id: "credentials",
  name: "E-mail and password",
  credentials: {
    email: { label: "E-mail", type: "email" },
    password: { label: "Password", type: "password" },
  },
  async authorize(input, request) {
    let result;
    try {
      const sent = request?.headers ?? {};
      result = await authenticate({ email: input?.email, password: input?.password, ...requestMeta(sent), client: vouchedClient(sent) });
    } catch (error) {
      // next-auth hands a thrown message to the browser, so an unexpected one must not be it.
      console.error("sign-in failed unexpectedly:", error);
      throw new Error(SIGN_IN_UNAVAILABLE);
    }
    // next-auth 4 returns this message to signIn() as result.error.
    if (!result.ok) throw new Error(result.message);
    return { id: result.person.id, name: result.person.name, email: result.person.email };
  },
});

function oidcProvider(config: OidcConfig): AuthOptions["providers"][number] {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.label,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile: { sub: string; name?: string; preferred_username?: string; email?: string }) {
      return { id: profile.sub, name: profile.name ?? profile.preferred_username ?? null, email: profile.email ?? null };
    },
  };
}

async function currentRequestMeta(): Promise<RequestMeta> {
  try {
    return requestMeta(await headers());
  } catch {
    return {};
  }
}

// Read when next-auth first needs it (not at build time), so plain `next dev` works too.
let secret: string | undefined;

export function sessionSecret(): string {
  secret ??= ensureSessionSecret(dataDir());
  return secret;
}

/** The stamp of a person's password as stored now (null for an unknown person). */
export async function storedPasswordStamp(personId: string | undefined): Promise<string | null> {
  if (!personId) return null;
  const person = await db().person.findUnique({ where: { id: personId }, select: { passwordHash: true } });
  return person ? passwordStamp(sessionSecret(), person.passwordHash) : null;
}

export const authOptions: AuthOptions = {
  get secret() {
    return sessionSecret();
  },
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: oidc ? [credentials, oidcProvider(oidc)] : [credentials],
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider === "credentials") return true;
      if (account?.provider !== OIDC_PROVIDER_ID) return false;
      try {
        return await admitOidcIdentity(account.providerAccountId, profile, await currentRequestMeta());
      } catch (error) {
        console.error("single sign-on failed unexpectedly:", error);
        return false;
      }
    },
    async jwt({ token, user, account }) {
      // Nothing but the person id and the password stamp go into the cookie; the stamp is taken
      // once, at sign-in, and compared on every request.
      const signedInAt = Math.floor(Date.now() / 1000);
      if (account?.provider === OIDC_PROVIDER_ID) {
        const sub = await personIdForOidcSubject(account.providerAccountId);
        return { sub, stamp: await storedPasswordStamp(sub), signedInAt };
      }
      if (user) return { sub: user.id, stamp: await storedPasswordStamp(user.id), signedInAt };
      return { sub: token.sub, stamp: token.stamp, signedInAt: token.signedInAt };
    },
    async session({ session, token }) {
      return {
        expires: session.expires,
        personId: token.sub,
        ...(typeof token.stamp === "string" ? { stamp: token.stamp } : {}),
        ...(typeof token.signedInAt === "number" ? { signedInAt: token.signedInAt } : {}),
      };
    },
  },
};
