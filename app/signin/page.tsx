import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentPerson } from "@/lib/auth/current-person";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { oidcLabel } from "@/lib/auth/options";
import { signInErrorText } from "@/lib/auth/sign-in-messages";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const callbackUrl = safeCallbackPath(first(query.callbackUrl));
  if (await currentPerson()) redirect(callbackUrl);
  const sso = oidcLabel();
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-lg font-semibold tracking-tight">Mandate</p>
        <section aria-labelledby="signin-heading" className="rounded-lg border border-line bg-surface p-6 shadow-sm">
          <h1 id="signin-heading" className="mb-4 text-base font-semibold">
            Sign in
          </h1>
          {query.passwordChanged === "1" ? (
            <p role="status" className="mb-3 text-sm">
              Your password is changed. Sign in with the new one.
            </p>
          ) : null}
          {/* ?error= comes from links anyone can craft, so only our own texts are shown for it. */}
          <SignInForm callbackUrl={callbackUrl} ssoLabel={sso} initialError={signInErrorText(first(query.error), sso)} />
        </section>
        <p className="mt-4 text-center text-xs text-muted">No account yet? An administrator adds people.</p>
      </div>
    </main>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
