"use client";
import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { signInErrorText } from "@/lib/auth/sign-in-messages";

interface Props {
  callbackUrl: string;
  ssoLabel: string | null;
  initialError: string | null;
}

const UNREACHABLE = "Could not reach Mandate. Check your connection and try again.";

export function SignInForm({ callbackUrl, ssoLabel, initialError }: Props) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState<"password" | "sso" | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending("password");
    setError(null);
    try {
      const result = await signIn("credentials", {
        redirect: false,
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        callbackUrl,
      });
      if (!result) return fail(UNREACHABLE);
      if (result.ok && !result.error) {
        // A full load, so every server component renders for the person now signed in.
        window.location.assign(callbackUrl);
        return;
      }
      fail(signInErrorText(result.error ?? "CredentialsSignin", ssoLabel));
    } catch {
      fail(UNREACHABLE);
    }
  }

  function fail(message: string | null) {
    setPending(null);
    setError(message);
    const password = passwordRef.current;
    if (password) password.value = "";
    // Back to where the person will type next; the alert region announces the reason.
    (emailRef.current?.value ? password : emailRef.current)?.focus();
  }

  const invalid = error !== null;
  return (
    <div className="flex flex-col gap-4">
      <div
        id="signin-error"
        role="alert"
        className={
          error
            ? "rounded-md border border-red-600/40 bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-300"
            : "sr-only"
        }
      >
        {error}
      </div>
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="email" className="text-sm font-medium">
            E-mail
          </label>
          <input
            ref={emailRef}
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? "signin-error" : undefined}
            className="rounded-md border border-line bg-bg px-2.5 py-1.5 text-sm text-fg"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="password" className="text-sm font-medium">
            Password
          </label>
          <input
            ref={passwordRef}
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? "signin-error" : undefined}
            className="rounded-md border border-line bg-bg px-2.5 py-1.5 text-sm text-fg"
          />
        </div>
        <button
          type="submit"
          disabled={pending !== null}
          className="mt-1 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:opacity-90 disabled:opacity-60 dark:text-bg"
        >
          {pending === "password" ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {ssoLabel ? (
        <>
          <div className="flex items-center gap-3 text-xs text-muted" aria-hidden="true">
            <span className="h-px flex-1 bg-line" />
            or
            <span className="h-px flex-1 bg-line" />
          </div>
          <button
            type="button"
            disabled={pending !== null}
            onClick={() => {
              setPending("sso");
              setError(null);
              signIn("oidc", { callbackUrl }).catch(() => fail(UNREACHABLE));
            }}
            className="rounded-md border border-line bg-surface px-3 py-1.5 text-sm font-medium text-fg hover:bg-surface-2 disabled:opacity-60"
          >
            {pending === "sso" ? "Redirecting…" : `Sign in with ${ssoLabel}`}
          </button>
        </>
      ) : null}
    </div>
  );
}
