// Posts the chain head to a webhook on a schedule (MANDATE_AUDIT_HEAD_WEBHOOK), so a copy of
// it lives outside the database. One instance publishes: the one holding a session-level
// advisory lock on its own connection; the others try again each interval and take over when
// that connection goes (its instance stopped or died).
import "server-only";
import pg from "pg";
import { z } from "zod";
import { readAuditHead, type AuditHead } from "@/lib/audit/audit-head";
import { AUDIT_LOCK_SPACE } from "@/lib/audit/seal-events";
import { ConfigError, databaseUrl } from "@/lib/config/env";

const PUBLISHER_LOCK_KEY = 2;
const POST_TIMEOUT_MS = 5_000;

export interface HeadWebhookConfig {
  url: string;
  intervalMs: number;
}

const webhookUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
const intervalSeconds = z.coerce.number().int().min(10).max(86_400);

/** Reads the head webhook settings; null when MANDATE_AUDIT_HEAD_WEBHOOK is unset or empty. */
export function headWebhookConfig(env: Readonly<Record<string, string | undefined>> = process.env): HeadWebhookConfig | null {
  const raw = env.MANDATE_AUDIT_HEAD_WEBHOOK?.trim();
  if (!raw) return null;
  const url = webhookUrl.safeParse(raw);
  if (!url.success) throw new ConfigError("MANDATE_AUDIT_HEAD_WEBHOOK must be an http:// or https:// URL.");
  const every = env.MANDATE_AUDIT_HEAD_INTERVAL?.trim() || "300";
  const seconds = intervalSeconds.safeParse(every);
  if (!seconds.success) throw new ConfigError(`MANDATE_AUDIT_HEAD_INTERVAL must be a whole number of seconds from 10 to 86400, not "${every}".`);
  return { url: url.data, intervalMs: seconds.data * 1_000 };
}

export interface HeadPublisher {
  /** Posts now if this instance is the publisher; resolves with what was posted, or null. */
  runOnce(): Promise<AuditHead | null>;
  stop(): Promise<void>;
}

export function startHeadPublisher(
  config: HeadWebhookConfig,
  options: { connectionString?: string; log?: (line: string) => void; fetch?: typeof fetch } = {},
): HeadPublisher {
  const log = options.log ?? ((line: string) => console.warn(line));
  const post = options.fetch ?? fetch;
  let client: pg.Client | null = null;
  let running: Promise<AuditHead | null> | null = null;
  let failing = false;

  const lead = async (): Promise<pg.Client | null> => {
    if (client) return client;
    const candidate = new pg.Client({ connectionString: options.connectionString ?? databaseUrl(), application_name: "mandate-audit-head" });
    // A lost connection loses the lock too: forget it and try again next round.
    candidate.on("error", () => (client === candidate ? (client = null) : undefined));
    await candidate.connect();
    const { rows } = await candidate.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::int4, $2::int4) AS locked", [AUDIT_LOCK_SPACE, PUBLISHER_LOCK_KEY]);
    if (rows[0]?.locked) return (client = candidate);
    await candidate.end();
    return null;
  };
  const publish = async (): Promise<AuditHead | null> => {
    const leader = await lead();
    if (!leader) return null;
    const head = await readAuditHead(leader);
    if (!head) return null;
    const response = await post(config.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(head),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
    return head;
  };
  const runOnce = () => {
    running ??= publish().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    runOnce().then(
      () => {
        if (failing) log("Audit head webhook: posting again.");
        failing = false;
      },
      (error: unknown) => {
        if (!failing) log(`Audit head webhook: could not post the head (${error instanceof Error ? error.message : "unknown error"}); retrying.`);
        failing = true;
      },
    );
  }, config.intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => null);
      const held = client;
      client = null;
      await held?.end().catch(() => {});
    },
  };
}
