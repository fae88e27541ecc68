// Optional single sign-on through any OpenID Connect provider. It is switched on by setting
//   MANDATE_OIDC_ISSUER         e.g. https://login.example.com/realms/acme (no trailing /.well-known)
//   MANDATE_OIDC_CLIENT_ID      the client registered for Mandate
//   MANDATE_OIDC_CLIENT_SECRET  its secret
//   MANDATE_OIDC_NAME           optional button label, default "single sign-on"
// and registering <NEXTAUTH_URL>/api/auth/callback/oidc as the redirect URI. It never creates
// people: it admits an existing, enabled person whose e-mail matches the verified e-mail claim
// (then remembers the subject) or whose remembered subject matches.
import "server-only";
import { z } from "zod";
import { ConfigError } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { emailSchema } from "@/lib/auth/authenticate";
import type { RequestMeta } from "@/lib/auth/request-meta";

export const OIDC_PROVIDER_ID = "oidc";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
}

const REQUIRED = ["MANDATE_OIDC_ISSUER", "MANDATE_OIDC_CLIENT_ID", "MANDATE_OIDC_CLIENT_SECRET"] as const;

const schema = z.object({
  MANDATE_OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://login.example.com/realms/acme" })
    .transform((value) => value.replace(/\/+$/, "").replace(/\/\.well-known\/openid-configuration$/, "")),
  MANDATE_OIDC_CLIENT_ID: z.string().trim().min(1, "is empty"),
  MANDATE_OIDC_CLIENT_SECRET: z.string().min(1, "is empty"),
  MANDATE_OIDC_NAME: z.string().trim().max(40, "must be at most 40 characters").optional(),
});

/** The OIDC settings, null when none are set; a partial or malformed set is a ConfigError (one line). */
export function oidcConfig(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  const given = REQUIRED.filter((name) => env[name] !== undefined && env[name] !== "");
  if (given.length === 0) return null;
  const missing = REQUIRED.filter((name) => !given.includes(name));
  if (missing.length > 0) {
    throw new ConfigError(`Single sign-on needs ${REQUIRED.join(", ")} together; missing ${missing.join(", ")}.`);
  }
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? "MANDATE_OIDC_*")} ${issue?.message ?? "is invalid"}.`);
  }
  const { MANDATE_OIDC_ISSUER, MANDATE_OIDC_CLIENT_ID, MANDATE_OIDC_CLIENT_SECRET, MANDATE_OIDC_NAME } = parsed.data;
  return { issuer: MANDATE_OIDC_ISSUER, clientId: MANDATE_OIDC_CLIENT_ID, clientSecret: MANDATE_OIDC_CLIENT_SECRET, label: MANDATE_OIDC_NAME || "single sign-on" };
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  // Some providers send the flag as a string.
  email_verified: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
});

/** Decides whether an OIDC identity may sign in; links the subject on first use. Audited either way. */
export async function admitOidcIdentity(subject: string, rawClaims: unknown, meta: RequestMeta = {}, now = new Date()): Promise<boolean> {
  const claims = claimsSchema.safeParse(rawClaims);
  const verified = claims.success && (claims.data.email_verified === true || claims.data.email_verified === "true");
  const email = verified ? emailSchema.safeParse(claims.data?.email).data : undefined;

  return db().$transaction(async (tx) => {
    const select = { id: true, oidcSubject: true, disabled: true } as const;
    const person =
      (await tx.person.findUnique({ where: { oidcSubject: subject }, select })) ??
      (email ? await tx.person.findUnique({ where: { email }, select }) : null);

    if (!person) {
      await recordAudit(tx, { type: "system", via: "sign-in" }, {
        type: "person.sign_in_failed",
        data: { reason: "oidc_no_person", method: "oidc", subject, ...(email ? { email } : {}), ...meta },
      });
      return false;
    }
    const actor: Actor = { type: "person", personId: person.id, ...meta, via: "console" };
    const subjectRef = { subjectType: "person", subjectId: person.id } as const;
    // A person already linked to another identity keeps it: a recycled e-mail must not take over.
    const reason = person.oidcSubject !== null && person.oidcSubject !== subject ? "oidc_subject_mismatch" : person.disabled ? "disabled" : null;
    if (reason) {
      await recordAudit(tx, actor, { type: "person.sign_in_failed", ...subjectRef, data: { reason, method: "oidc" } });
      return false;
    }
    await tx.person.update({ where: { id: person.id }, data: { oidcSubject: subject, lastLoginAt: now } });
    await recordAudit(tx, actor, {
      type: "person.signed_in",
      ...subjectRef,
      data: { method: "oidc", ...(person.oidcSubject === null ? { linked: true } : {}) },
    });
    return true;
  });
}

/** The person a linked OIDC subject belongs to (enabled or not; every request re-checks that). */
export async function personIdForOidcSubject(subject: string): Promise<string | undefined> {
  const person = await db().person.findUnique({ where: { oidcSubject: subject }, select: { id: true } });
  return person?.id;
}
