// A webhook as audit rows record it (before → after): everything but the secret, of which only
// the last four characters appear, and the URL only as its origin plus a hash of the whole: for
// Slack and many other receivers the URL's path IS a credential (hooks.slack.com/services/…), and
// auditors must not be able to post into the approvers' channel. The hash still shows whether
// two rows name the same URL and lets whoever holds the URL check it.
import "server-only";
import { createHash } from "node:crypto";

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

export interface AuditedWebhook extends Omit<WebhookSnapshot, "url"> {
  /** The URL's origin (scheme, host, port); the rest is a credential for many receivers. */
  urlOrigin: string;
  /** SHA-256 (hex) of the whole URL. */
  urlSha256: string;
}

export function auditedWebhook(snapshot: WebhookSnapshot): AuditedWebhook {
  const { url, ...rest } = snapshot;
  return { ...rest, urlOrigin: originOf(url), urlSha256: createHash("sha256").update(url).digest("hex") };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}
