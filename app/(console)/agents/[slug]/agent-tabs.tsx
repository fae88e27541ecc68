"use client";
// The agent page's tabs; a client component only to mark the current one.
import Link from "next/link";
import { usePathname } from "next/navigation";

export const AGENT_TABS = [
  { path: "", label: "Overview" },
  { path: "permissions", label: "Permissions" },
  { path: "credentials", label: "Credentials" },
  { path: "activity", label: "Activity" },
  { path: "kill-switch", label: "Kill switch & drills" },
  { path: "readiness", label: "Readiness" },
] as const;

export function AgentTabs({ slug }: { slug: string }) {
  const pathname = usePathname() ?? "";
  const base = `/agents/${encodeURIComponent(slug)}`;
  return (
    <nav aria-label="Agent sections" className="mb-4 border-b border-line">
      <ul className="flex flex-wrap gap-4">
        {AGENT_TABS.map((tab) => {
          const href = tab.path ? `${base}/${tab.path}` : base;
          const current = pathname === href;
          return (
            <li key={tab.label}>
              <Link
                href={href}
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
