import type { AgentStatus } from "@/lib/generated/prisma/enums";
import { Badge, type Tone } from "./badge";

const TONE: Record<AgentStatus, Tone> = {
  active: "green",
  suspended: "amber",
  killed: "red",
  draft: "grey",
  retired: "slate",
};

export function StatusBadge({ status }: { status: AgentStatus }) {
  return <Badge tone={TONE[status]}>{status}</Badge>;
}
