// What the kill-watcher tests share: a fake Mandate per test (closed after the file), a Mandate
// client with fast retries that records its events, and a wait for the signal to abort.
import { after } from "node:test";
import { Mandate, type KillWatcher, type MandateEvent } from "../src/index.ts";
import { KEY, startFake, type Fake, type Handler } from "./fake-mandate.ts";

const fakes: Fake[] = [];
const watchers: KillWatcher[] = [];
after(async () => {
  for (const watcher of watchers) watcher.stop();
  await Promise.all(fakes.map((fake) => fake.close()));
});

export async function setup(routes: Record<string, Handler>, url?: string) {
  const server = await startFake(routes);
  fakes.push(server);
  const events: MandateEvent[] = [];
  const mandate = new Mandate({ url: url ?? server.url, key: KEY, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 100 }, onEvent: (event) => events.push(event) });
  const watch = (options: Parameters<Mandate["watch"]>[0]) => {
    const watcher = mandate.watch(options);
    watchers.push(watcher);
    return watcher;
  };
  return { server, events, watch };
}

/** Milliseconds from now until the signal aborts (rejects after `limitMs`). */
export function abortedWithin(signal: AbortSignal, limitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`not aborted within ${limitMs} ms`)), limitMs);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}
