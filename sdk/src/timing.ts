// Sleeping, backoff and signal plumbing. Signals are linked by hand rather than with
// AbortSignal.any(): long-lived parents (a watcher's stop signal) must not collect a listener per
// request, and every link here is undone when its request ends.
import type { RetryOptions } from "./types.js";

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Keeps a timer from holding the process open on its own. */
export function unref(timer: unknown): void {
  if (typeof timer === "object" && timer !== null && "unref" in timer && typeof timer.unref === "function") timer.unref();
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries from
 * many agents spread out yet each wait still grows. `retry` counts from 1.
 */
export function backoffMs(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface LinkedSignal {
  signal: AbortSignal;
  /** Aborts the linked signal (and only it). */
  abort: (reason?: unknown) => void;
  /** Detaches from the parents; call when the work ends. */
  dispose: () => void;
}

/** A signal that aborts when any parent aborts, with that parent's reason. */
export function linkSignals(...parents: ReadonlyArray<AbortSignal | undefined>): LinkedSignal {
  const controller = new AbortController();
  const listeners: Array<[AbortSignal, () => void]> = [];
  const dispose = () => {
    for (const [parent, listener] of listeners) parent.removeEventListener("abort", listener);
    listeners.length = 0;
  };
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const listener = () => {
      controller.abort(parent.reason);
      dispose();
    };
    parent.addEventListener("abort", listener, { once: true });
    listeners.push([parent, listener]);
  }
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, abort: (reason) => controller.abort(reason), dispose };
}
