// The console shell: navigation limited to what the signed-in person's roles allow, who is
// signed in, and a skip link. Each page checks its own capability with requirePage; the shell
// only decides what to show.
import type { ReactNode } from "react";
import Link from "next/link";
import { currentPerson } from "@/lib/auth/current-person";
import { can, type Capability } from "@/lib/people/capabilities";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NavLinks, type NavItem } from "./nav-links";

const NAV: (NavItem & { capability: Capability })[] = [
  { href: "/", label: "Overview", capability: "console.view" },
  { href: "/agents", label: "Agents", capability: "agents.view" },
  { href: "/approvals", label: "Approvals", capability: "approvals.view" },
  { href: "/audit", label: "Audit", capability: "audit.view" },
  { href: "/people", label: "People", capability: "people.view" },
  { href: "/catalog", label: "Catalog & policies", capability: "catalog.view" },
  { href: "/settings/webhooks", label: "Webhooks", capability: "webhooks.manage" },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const person = await currentPerson();
  // Signed out: render the page alone. Its requirePage redirects to sign-in with the page's own
  // path as the way back, which the shell cannot know (layouts are not told the pathname).
  if (!person) return <>{children}</>;
  // On an admin-issued password every page sends the person to choose their own: no menu until then.
  const items = person.mustChangePassword ? [] : NAV.filter((item) => can(person.roles, item.capability)).map(({ href, label }) => ({ href, label }));
  return (
    <>
      <a
        href="#main"
        className="sr-only z-50 rounded bg-surface px-3 py-2 font-medium text-fg shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to main content
      </a>
      <div className="flex min-h-screen flex-col md:flex-row">
        <aside className="flex shrink-0 flex-col gap-6 border-b border-line bg-surface p-4 md:sticky md:top-0 md:h-screen md:w-60 md:border-b-0 md:border-r">
          <p className="px-2.5 text-base font-semibold tracking-tight">Mandate</p>
          <nav data-testid="nav" aria-label="Main">
            <NavLinks items={items} />
          </nav>
          <section aria-label="Signed in as" className="mt-auto border-t border-line px-2.5 pt-4 text-xs">
            <p className="truncate text-sm font-medium" title={person.name}>
              {person.name}
            </p>
            <p className="truncate text-muted" title={person.email}>
              {person.email}
            </p>
            <p className="mt-1 text-muted">
              {person.roles.length ? `Roles: ${person.roles.join(", ")}` : "No console role (owner access only)"}
            </p>
            <div className="mt-3 flex items-center gap-3">
              <SignOutButton />
              <Link href="/account/password" className="text-muted underline-offset-2 hover:text-fg hover:underline">
                Password
              </Link>
            </div>
          </section>
        </aside>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-4 focus:outline-none md:p-6">
          {children}
        </main>
      </div>
    </>
  );
}
