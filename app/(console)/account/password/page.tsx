import type { Metadata } from "next";
import { requireSignedIn } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { PageHeader } from "@/components/ui/page-header";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Your password" };

export default async function PasswordPage() {
  // Any signed-in person, including one the rest of the console sends here first.
  const person = await requireSignedIn({ path: "/account/password" });
  const { passwordHash } = await db().person.findUniqueOrThrow({ where: { id: person.id }, select: { passwordHash: true } });
  return (
    <>
      <PageHeader
        title={person.mustChangePassword ? "Choose your own password" : "Your password"}
        description={
          person.mustChangePassword
            ? "An admin issued the password you signed in with, so they know it. Choose your own before you continue."
            : "Change the password you sign in with. Every session opened with the old one ends."
        }
      />
      {passwordHash === null ? (
        <p className="text-sm text-muted">You sign in through single sign-on: there is no Mandate password to change.</p>
      ) : (
        <PasswordForm email={person.email} />
      )}
    </>
  );
}
