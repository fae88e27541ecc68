"use client";
// A live countdown to a checkpoint's expiry ("4 min 12 s left"), on the server's clock (offsetMs =
// server minus browser). Not a live region: a ticking announcement would drown everything else.
import { useEffect, useState } from "react";
import { formatAbsolute } from "@/components/ui/format";

/**
 * The server's "now", ticking. Until the first tick it is `renderedAt` (the time the server
 * rendered the page), so the server's HTML and the browser's first render agree.
 */
export function useServerNow(offsetMs: number, renderedAt: number, everyMs = 1_000): number {
  const [tick, setTick] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return tick === null ? renderedAt : tick + offsetMs;
}

export function formatLeft(ms: number): string {
  if (ms <= 0) return "expired";
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s left`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min left`;
}

export function Countdown({ expiresAt, now }: { expiresAt: string; now: number }) {
  const left = Date.parse(expiresAt) - now;
  const urgent = left < 60_000;
  return (
    <time
      dateTime={expiresAt}
      title={`Expires ${formatAbsolute(new Date(expiresAt))}; unanswered, it is a deny`}
      className={`whitespace-nowrap tabular-nums ${urgent ? "font-semibold text-amber-800 dark:text-amber-300" : "text-muted"}`}
    >
      {formatLeft(left)}
    </time>
  );
}
