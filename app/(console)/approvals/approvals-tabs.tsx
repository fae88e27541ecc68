"use client";
// The approvals section's tabs; a client component only to mark the current one.
import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/approvals", label: "Inbox" },
  { href: "/approvals/history", label: "History" },
] as const;

export function ApprovalsTabs() {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label="Approvals sections" className="mb-4 border-b border-line">
      <ul className="flex gap-4">
        {TABS.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 py-2 font-medium ${current ? "border-accent text-fg" : "border-transparent text-muted hover:border-line hover:text-fg"}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
