// The one check per kind of console caller: pages, console route handlers and server actions
// each load the person themselves and test a capability from lib/people/capabilities.ts.
// Middleware is never relied on for this.
import "server-only";
import { randomUUID } from "node:crypto";
import { forbidden, redirect, unstable_rethrow } from "next/navigation";
import { headers } from "next/headers";
import { AppError, PROBLEM_CONTENT_TYPE, problemFor } from "@/lib/http/errors";
import { can, type Capability } from "@/lib/people/capabilities";
import type { Actor } from "@/lib/audit/record";
import { currentPerson, type CurrentPerson } from "@/lib/auth/current-person";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { requestMeta } from "@/lib/auth/request-meta";

export type { CurrentPerson };

/** Where a person whose password an admin issued is sent until they choose their own. */
export const OWN_PASSWORD_PATH = "/account/password";
const OWN_PASSWORD_FIRST = "Choose your own password first: the one you were given is known to the admin who issued it.";

/**
 * For server components. Signed out → the sign-in page, coming back to `path` afterwards
 * (Next does not tell a server component its own path, so the page passes it); wrong role →
 * a real 403 rendering app/forbidden.tsx. A person still on an admin-issued password is sent to
 * choose their own first, whatever the page.
 */
export async function requirePage(capability: Capability, options: { path?: string } = {}): Promise<CurrentPerson> {
  const person = await requireSignedIn(options);
  if (person.mustChangePassword) redirect(OWN_PASSWORD_PATH);
  if (!can(person.roles, capability)) forbidden();
  return person;
}

/** Any signed-in person, even one who must still choose their own password: the account pages. */
export async function requireSignedIn(options: { path?: string } = {}): Promise<CurrentPerson> {
  const person = await currentPerson();
  if (!person) {
    const back = safeCallbackPath(options.path);
    redirect(back === "/" ? "/signin" : `/signin?callbackUrl=${encodeURIComponent(back)}`);
  }
  return person;
}

export interface ConsoleRouteArgs<P> {
  person: CurrentPerson;
  actor: Actor & { type: "person" };
  request: Request;
  params: P;
  requestId: string;
}

type RouteContext<P> = { params: Promise<P> };

/**
 * For route handlers under app/api/console/**. Answers 401/403 as problem+json before the
 * handler runs, refuses cross-site writes, and turns anything the handler throws into a problem
 * document (unknown errors as a plain 500 with the request id).
 */
export function withConsoleRoute<P = Record<string, string>>(
  capability: Capability,
  handler: (args: ConsoleRouteArgs<P>) => Promise<Response> | Response,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const requestId = randomUUID();
    try {
      if (isCrossSite(request)) throw new AppError("forbidden", "Cross-site requests are refused.");
      const person = await currentPerson();
      if (!person) throw new AppError("unauthorized", "Sign in to continue.");
      if (person.mustChangePassword) throw new AppError("forbidden", OWN_PASSWORD_FIRST);
      if (!can(person.roles, capability)) throw new AppError("forbidden", "You do not have access to this.");
      const actor = personActor(person, requestId, request.headers);
      const params = (await context?.params) ?? ({} as P);
      const response = await handler({ person, actor, request, params, requestId });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      unstable_rethrow(error);
      if (!(error instanceof AppError)) console.error(`console route failed (request ${requestId}):`, error);
      const problem = problemFor(error, requestId);
      return new Response(JSON.stringify(problem), {
        status: problem.status,
        headers: { "content-type": PROBLEM_CONTENT_TYPE, "x-request-id": requestId, "cache-control": "no-store" },
      });
    }
  };
}

/**
 * For server actions: the person and the actor to thread into the use case, or an AppError.
 * `ownAccount` is for the one action a person on an admin-issued password may take: choosing their own.
 */
export async function requireAction(
  capability: Capability,
  options: { ownAccount?: boolean } = {},
): Promise<{ person: CurrentPerson; actor: Actor & { type: "person" } }> {
  const person = await currentPerson();
  if (!person) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
  if (person.mustChangePassword && !options.ownAccount) throw new AppError("forbidden", OWN_PASSWORD_FIRST);
  if (!can(person.roles, capability)) throw new AppError("forbidden", "You do not have access to this.");
  return { person, actor: personActor(person, randomUUID(), await headers()) };
}

function personActor(person: CurrentPerson, requestId: string, source: Headers): Actor & { type: "person" } {
  return { type: "person", personId: person.id, requestId, ...requestMeta(source), via: "console" };
}

// Session cookies are SameSite=Lax, which still sends them on another site's top-level GET (a
// link, a redirect): some console GETs record something (an audit export, a checkpoint opening),
// so a browser that says the request is cross-site is refused whatever the method. For writes,
// Origin also closes the same-site-subdomain gap: browsers always send it on non-GET fetches.
function isCrossSite(request: Request): boolean {
  if (request.headers.get("sec-fetch-site") === "cross-site") return true;
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
