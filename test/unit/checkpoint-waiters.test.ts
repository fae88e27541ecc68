// The in-memory waiters behind GET /checkpoints/:id?wait=: which change notifications wake whom,
// no wake lost between two waits, the per-agent bound, and no subscription while nobody waits.
import { describe, expect, it } from "vitest";
import { CheckpointWaiters, type ChangeSource } from "@/lib/approvals/checkpoint-waiters";
import type { ChangeHandler, ChangeMessage } from "@/lib/db/notify";
import { AppError } from "@/lib/http/errors";

function fakeSource(): ChangeSource & { emit(message: ChangeMessage): void; handlers: Set<ChangeHandler> } {
  const handlers = new Set<ChangeHandler>();
  return {
    handlers,
    subscribe(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    listening: () => true,
    emit(message) {
      for (const handler of handlers) void handler(message);
    },
  };
}

describe("CheckpointWaiters", () => {
  it.each<[string, ChangeMessage, boolean]>([
    ["its checkpoint changed", { kind: "checkpoint", id: "cp-1" }, true],
    ["a checkpoint of its agent changed (cancellation by agent)", { kind: "checkpoint", agentId: "agent-1" }, true],
    ["its agent's state changed", { kind: "agent", id: "agent-1", agentId: "agent-1" }, true],
    ["the listener resynced", { kind: "resync" }, true],
    ["checkpoints changed without saying which", { kind: "checkpoint" }, true],
    ["another checkpoint changed", { kind: "checkpoint", id: "cp-2", agentId: "agent-2" }, false],
    ["another agent changed", { kind: "agent", id: "agent-2", agentId: "agent-2" }, false],
    ["a list changed", { kind: "list", agentId: "agent-1" }, false],
  ])("wakes when %s: %s", async (_label, message, wakes) => {
    const source = fakeSource();
    const waiter = new CheckpointWaiters(source).register("agent-1", "cp-1");
    const next = waiter.next(50);
    source.emit(message);
    expect(await next).toBe(wakes ? "woken" : "timeout");
    waiter.release();
  });

  it("keeps a wake that arrives between two waits", async () => {
    const source = fakeSource();
    const waiter = new CheckpointWaiters(source).register("agent-1", "cp-1");
    source.emit({ kind: "checkpoint", id: "cp-1" });
    expect(await waiter.next(10_000)).toBe("woken");
    // Consumed: the next wait waits again.
    expect(await waiter.next(20)).toBe("timeout");
    waiter.release();
  });

  it("bounds the waiters per agent and frees a slot on release", () => {
    const waiters = new CheckpointWaiters(fakeSource(), 2);
    const first = waiters.register("agent-1", "cp-1");
    waiters.register("agent-1", "cp-2");
    expect(() => waiters.register("agent-1", "cp-3")).toThrow(AppError);
    expect(() => waiters.register("agent-1", "cp-3")).toThrow(/At most 2/);
    waiters.register("agent-2", "cp-9");
    first.release();
    first.release();
    expect(() => waiters.register("agent-1", "cp-3")).not.toThrow();
    expect(waiters.size()).toBe(3);
  });

  it("subscribes only while someone waits", () => {
    const source = fakeSource();
    const waiters = new CheckpointWaiters(source);
    expect(source.handlers.size).toBe(0);
    const one = waiters.register("agent-1", "cp-1");
    const two = waiters.register("agent-2", "cp-2");
    expect(source.handlers.size).toBe(1);
    one.release();
    expect(source.handlers.size).toBe(1);
    two.release();
    expect(source.handlers.size).toBe(0);
    expect(waiters.size()).toBe(0);
  });

  it("ends a pending wait when the waiter is released", async () => {
    const waiter = new CheckpointWaiters(fakeSource()).register("agent-1", "cp-1");
    const next = waiter.next(10_000);
    waiter.release();
    expect(await next).toBe("woken");
  });
});
