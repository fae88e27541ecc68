// Maturity as a four-step pill: the filled steps show how far the agent has been promoted.
import type { Maturity } from "@/lib/generated/prisma/enums";

export const MATURITY_LEVELS = ["intern", "junior", "senior", "principal"] as const satisfies readonly Maturity[];

export function MaturityPill({ maturity }: { maturity: Maturity }) {
  const level = MATURITY_LEVELS.indexOf(maturity);
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs" title={`Maturity ${level + 1} of 4: ${maturity}`}>
      <span aria-hidden="true" className="inline-flex gap-0.5">
        {MATURITY_LEVELS.map((step, index) => (
          <span
            key={step}
            className={`h-2 w-3 first:rounded-l-full last:rounded-r-full ${index <= level ? "bg-accent" : "bg-line"}`}
          />
        ))}
      </span>
      <span>{maturity}</span>
    </span>
  );
}
