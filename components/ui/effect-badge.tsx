// The effect of a decision (allow / deny / pending) or of a written-list line
// (allow / require_approval / deny). Denials are the one place red belongs besides the kill switch.
import type { DecisionEffect, PermissionEffect } from "@/lib/generated/prisma/enums";
import { Badge, type Tone } from "./badge";

const TONE: Record<DecisionEffect | PermissionEffect, Tone> = {
  allow: "green",
  pending: "blue",
  require_approval: "blue",
  deny: "red",
};

const LABEL: Record<DecisionEffect | PermissionEffect, string> = {
  allow: "allow",
  pending: "pending",
  require_approval: "needs approval",
  deny: "deny",
};

export function EffectBadge({ effect }: { effect: DecisionEffect | PermissionEffect }) {
  return <Badge tone={TONE[effect]}>{LABEL[effect]}</Badge>;
}
