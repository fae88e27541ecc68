// A decision's effect or a checkpoint's verdict on an audit row. Red only for denials (a denied
// decision, a checkpoint denied or timed out), as everywhere in the console.
import { Badge, type Tone } from "@/components/ui/badge";

export type Verdict = "allow" | "deny" | "pending" | "approved" | "denied" | "expired";

const TONE: Record<Verdict, Tone> = { allow: "green", approved: "green", pending: "blue", deny: "red", denied: "red", expired: "red" };

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return <span className="text-muted">—</span>;
  return <Badge tone={TONE[verdict]}>{verdict}</Badge>;
}
