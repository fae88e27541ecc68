// Which waits a change wakes when one agent holds many: a vote on one checkpoint must not make
// every other wait of the same agent read again (the fan-out measured by bench/approval-latency).
import { describe, expect, it } from "vitest";
import { CheckpointWaiters, type ChangeSource } from "@/lib/approvals/checkpoint-waiters";
import type { ChangeHandler, ChangeMessage } from "@/lib/db/notify";

function source(): ChangeSource & { emit(message: ChangeMessage): void } {
  const handlers = new Set<ChangeHandler>();
  return {
    subscribe: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    listening: () => true,
    emit: (message) => handlers.forEach((handler) => void handler(message)),
  };
}

describe("CheckpointWaiters with many waits of one agent", () => {
  it("wakes only the named checkpoint's waiters on a vote, and all of them on an agent-wide change", async () => {
    const changes = source();
    const waiters = new CheckpointWaiters(changes);
    const all = ["cp-1", "cp-2", "cp-3"].map((id) => waiters.register("agent-1", id));
    const first = all.map((waiter) => waiter.next(60));
    changes.emit({ kind: "checkpoint", id: "cp-2", agentId: "agent-1" });
    expect(await Promise.all(first)).toEqual(["timeout", "woken", "timeout"]);

    const second = all.map((waiter) => waiter.next(60));
    changes.emit({ kind: "checkpoint", agentId: "agent-1" });
    expect(await Promise.all(second)).toEqual(["woken", "woken", "woken"]);
    all.forEach((waiter) => waiter.release());
    expect(waiters.size()).toBe(0);
  });
});
