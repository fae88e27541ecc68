// When a failed delivery is tried again: exponential backoff with ±20 % jitter (so a receiver that
// was down is not hit by every queued delivery at the same moment), capped, for at most
// MAX_ATTEMPTS tries — with the defaults about 10 s, 20 s, 40 s … up to roughly 21 minutes in all.
export const MAX_ATTEMPTS = 8;

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1; 0 makes the delays exact (tests). */
  jitter?: number;
}

export function nextRetryDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 10_000;
  const max = options.maxMs ?? 60 * 60_000;
  const jitter = options.jitter ?? 0.2;
  const exact = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(exact * (1 - jitter + 2 * jitter * random())));
}
