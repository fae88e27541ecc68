// A webhook as audit rows record it (before → after): everything but the secret, of which only
// the last four characters appear.
import "server-only";

export const WEBHOOK_SNAPSHOT = {
  id: true,
  name: true,
  url: true,
  events: true,
  format: true,
  includeParams: true,
  enabled: true,
  secretHint: true,
} as const;

export interface WebhookSnapshot {
  id: string;
  name: string;
  url: string;
  events: string[];
  format: "mandate" | "slack";
  includeParams: boolean;
  enabled: boolean;
  secretHint: string;
}
