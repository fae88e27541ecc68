import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { currentPerson } from "@/lib/auth/current-person";

export const metadata: Metadata = { title: "No access" };

// Rendered with status 403 whenever a page calls forbidden() (lib/auth/guard.ts).
export default async function Forbidden() {
  const person = await currentPerson();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-8">
      <p className="text-sm font-medium text-muted">403</p>
      <h1 className="text-xl font-semibold">You do not have access to this page</h1>
      <p className="text-muted">
        {person ? `You are signed in as ${person.email}. ` : null}
        Your roles do not include this page. If you need it, ask an administrator, or sign in with another account.
      </p>
      <div className="flex items-center gap-4">
        <Link href="/" className="font-medium text-accent underline underline-offset-2">
          Back to the overview
        </Link>
        <SignOutButton />
      </div>
    </main>
  );
}
