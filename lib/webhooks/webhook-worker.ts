// The webhook worker, started beside the checkpoint sweeper in lib/server/http-server.ts. Every
// second: queue deliveries for new events — checkpoints (enqueue-webhook-events.ts) and kill-switch
// and owner-notice events from the sealed audit log (enqueue-audit-webhook-events.ts), one
// instance per round each — then claim due deliveries (any instance; FOR UPDATE SKIP LOCKED, with
// a lease so a crashed sender's claim is retried) and POST them signed. Failures are retried with
// exponential backoff and jitter up to MAX_ATTEMPTS; every attempt is logged with its status code
// or error and duration.
// It runs on its own timer and its own connections: nothing a person or an agent waits for
// depends on it.
import "server-only";
import type pg from "pg";
import { pool as sharedPool } from "@/lib/db/pool";
import { enqueueWebhookEvents } from "@/lib/webhooks/enqueue-webhook-events";
import { postWebhook } from "@/lib/webhooks/post-webhook";
import { nextRetryDelayMs, MAX_ATTEMPTS, type BackoffOptions } from "@/lib/webhooks/retry-policy";
import { SIGNATURE_HEADER, signatureHeader } from "@/lib/webhooks/sign-payload";
import { openSecret, SecretUnreadableError } from "@/lib/webhooks/webhook-secret";

const CLAIM_BATCH = 8;
/** A round stops claiming further batches after this long; the rest goes to the next round. */
const ROUND_BUDGET_MS = 5_000;
/** A claimed delivery is retried after this if its sender never reported back (it crashed). */
const LEASE_MS = 60_000;

export interface WorkerOptions {
  pool?: pg.Pool;
  intervalMs?: number;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  consoleUrl?: string;
  log?: (line: string) => void;
}

export interface WebhookWorker {
  /** One round now: queue new events, then send what is due. */
  runOnce(now?: Date): Promise<{ queued: number; sent: number }>;
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secret_ciphertext: string;
  format: "mandate" | "slack";
}

const CLAIM_SQL = `
WITH due AS (
  SELECT d.id FROM webhook_delivery d
  WHERE d.status = 'pending' AND d.next_attempt_at <= $1
  ORDER BY d.next_attempt_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE webhook_delivery d SET attempts = d.attempts + 1, next_attempt_at = $3
FROM due, webhook w
WHERE d.id = due.id AND w.id = d.webhook_id
RETURNING d.id::text AS id, d.event, d.payload, d.attempts, w.url, w.secret_ciphertext, w.format::text AS format`;

// The attempt row and the delivery's new state in one statement; a delivery given up or done has no next try.
const RECORD_SQL = `
WITH attempt AS (
  INSERT INTO webhook_attempt (delivery_id, attempt, started_at, duration_ms, status_code, error, next_retry_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
)
UPDATE webhook_delivery SET status = $8, next_attempt_at = $7, last_status_code = $5, last_error = $6,
  completed_at = CASE WHEN $8::"WebhookDeliveryStatus" = 'pending' THEN NULL ELSE $9::timestamptz END
WHERE id = $1`;

export function startWebhookWorker(options: WorkerOptions = {}): WebhookWorker {
  const pool = options.pool ?? sharedPool();
  const log = options.log ?? ((line: string) => console.warn(line));
  const consoleUrl = options.consoleUrl ?? process.env.NEXTAUTH_URL;
  let running: Promise<{ queued: number; sent: number }> | null = null;
  let failing = false;

  const round = async (now: Date) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    let round = { queued: 0, hooks: 0 };
    try {
      round = await enqueueWebhookEvents(client, { now, consoleUrl });
    } catch (error) {
      broken = error instanceof Error ? error : new Error("enqueue failed");
      throw error;
    } finally {
      client.release(broken);
    }
    // Every queued delivery belongs to a webhook that is on (switching off gives them up).
    if (round.hooks === 0) return { queued: 0, sent: 0 };
    // Batch after batch while batches come back full, so a burst (a busy senior agent's owner
    // notices) drains within the round instead of eight a second; bounded, so one round of slow
    // receivers cannot hold the next round's queueing back for long. Only what was due when the
    // round began is claimed: a retry scheduled meanwhile waits for a later round.
    const started = Date.now();
    let sent = 0;
    for (;;) {
      // Each batch's lease runs from its own claim: a late batch must not be claimable again at once.
      const lease = new Date(Math.max(now.getTime(), Date.now()) + LEASE_MS);
      const { rows } = await pool.query<Claimed>(CLAIM_SQL, [now, CLAIM_BATCH, lease]);
      await Promise.all(rows.map((row) => deliver(pool, row, options)));
      sent += rows.length;
      if (rows.length < CLAIM_BATCH || Date.now() - started >= ROUND_BUDGET_MS) break;
    }
    return { queued: round.queued, sent };
  };

  const runOnce = (now?: Date) => {
    running ??= round(now ?? new Date()).finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    runOnce().then(
      () => {
        if (failing) log("Webhook worker: working again.");
        failing = false;
      },
      (error: unknown) => {
        if (!failing) log(`Webhook worker: a round failed (${error instanceof Error ? error.message : "unknown error"}); retrying.`);
        failing = true;
      },
    );
  }, options.intervalMs ?? 1_000);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => null);
    },
  };
}

async function deliver(pool: pg.Pool, row: Claimed, options: WorkerOptions): Promise<void> {
  const startedAt = new Date();
  let result: { statusCode: number | null; error: string | null; durationMs: number };
  let final = false;
  try {
    const body = JSON.stringify(row.format === "slack" ? { text: row.payload.text } : row.payload);
    const headers = {
      [SIGNATURE_HEADER]: signatureHeader(openSecret(row.secret_ciphertext), body, startedAt),
      "Mandate-Event": row.event,
      "Mandate-Delivery": row.id,
      "Mandate-Attempt": String(row.attempts),
    };
    result = await postWebhook({ url: row.url, body, headers, timeoutMs: options.timeoutMs });
  } catch (error) {
    // A secret that cannot be read will not become readable by waiting: give up at once.
    final = error instanceof SecretUnreadableError;
    result = { statusCode: null, error: error instanceof Error ? error.message : "Could not deliver.", durationMs: 0 };
  }
  const ok = result.error === null;
  const givenUp = !ok && (final || row.attempts >= MAX_ATTEMPTS);
  const nextRetryAt = ok || givenUp ? null : new Date(Date.now() + nextRetryDelayMs(row.attempts, options.backoff));
  const status = ok ? "succeeded" : givenUp ? "failed" : "pending";
  await pool.query(RECORD_SQL, [row.id, row.attempts, startedAt, result.durationMs, result.statusCode, result.error, nextRetryAt, status, new Date()]);
}
