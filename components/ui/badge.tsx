// The small coloured label every status-like value uses. Red is reserved for kills and denials
// (DESIGN.md §10), so callers pick "red" only for those.
import type { ReactNode } from "react";

export type Tone = "green" | "amber" | "red" | "grey" | "slate" | "blue" | "violet" | "orange";

const TONES: Record<Tone, string> = {
  green: "bg-green-100 text-green-800 ring-green-600/25 dark:bg-green-500/15 dark:text-green-300 dark:ring-green-400/30",
  amber: "bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-500/15 dark:text-amber-300 dark:ring-amber-400/30",
  red: "bg-red-100 text-red-800 ring-red-600/25 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-400/30",
  grey: "bg-gray-100 text-gray-700 ring-gray-500/25 dark:bg-gray-400/10 dark:text-gray-300 dark:ring-gray-400/25",
  slate: "bg-slate-200 text-slate-700 ring-slate-500/30 dark:bg-slate-400/15 dark:text-slate-300 dark:ring-slate-400/30",
  blue: "bg-blue-100 text-blue-800 ring-blue-600/25 dark:bg-blue-500/15 dark:text-blue-300 dark:ring-blue-400/30",
  violet: "bg-violet-100 text-violet-800 ring-violet-600/25 dark:bg-violet-500/15 dark:text-violet-300 dark:ring-violet-400/30",
  orange: "bg-orange-100 text-orange-900 ring-orange-600/30 dark:bg-orange-500/15 dark:text-orange-300 dark:ring-orange-400/30",
};

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}
