import type { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";
import { Badge, type Tone } from "./badge";

// Critical is orange, not red: red stays reserved for kills and denials.
const RISK_TONE: Record<RiskLevel, Tone> = { low: "grey", medium: "blue", high: "amber", critical: "orange" };

export function RiskBadge({ risk }: { risk: RiskLevel }) {
  return (
    <Badge tone={RISK_TONE[risk]} title={`Risk: ${risk}`}>
      {risk} risk
    </Badge>
  );
}

export function CategoryLabel({ category }: { category: ActionCategory }) {
  return <span className="whitespace-nowrap font-mono text-xs text-muted">{category.replaceAll("_", " ")}</span>;
}
