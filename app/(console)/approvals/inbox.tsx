"use client";
// The live approval inbox: the list of pending checkpoints (refreshed every second), the selected
// checkpoint beside it, and the keyboard: j/k move, a/d/e open approve/deny/extend, ? shows the
// shortcuts, Escape closes. New checkpoints and ones that leave (decided elsewhere, expired) are
// announced to screen readers; after a decision the next checkpoint is selected.
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useServerNow } from "@/components/approvals/countdown";
import { FatigueBanner } from "@/components/approvals/fatigue-banner";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import type { FormState } from "@/lib/auth/action";
import { filterParams } from "@/lib/approvals/inbox-filters";
import type { Mode } from "./decide-forms";
import { InboxList, optionId } from "./inbox-list";
import { approvalKeys } from "./inbox-queries";
import type { DecideResult, FatigueSignal, InboxFilterValues, InboxSnapshot } from "./inbox-types";
import { KeyboardHelp } from "./keyboard-help";
import { SelectedCheckpoint } from "./selected-checkpoint";
import { useCheckpointDetail, useInboxSnapshot } from "./use-inbox";

interface Props {
  initial: InboxSnapshot;
  filters: InboxFilterValues;
  /** The viewer may decide at all (approver or admin); per checkpoint the server says more. */
  mayDecide: boolean;
  /** A checkpoint named in the URL (?checkpoint=…, the link in webhook messages). */
  focusId: string | null;
  /** A run of this person's fast approvals was flagged in the last few minutes. */
  recentlyFatigued: boolean;
  /** When the server rendered the page (ms), the clock of the first render on both sides. */
  renderedAt: number;
}

type Step = number | "first" | "last";

export function Inbox({ initial, filters, mayDecide, focusId, recentlyFatigued, renderedAt }: Props) {
  const client = useQueryClient();
  const { data: snapshot = initial, isError } = useInboxSnapshot(filters, initial);
  const now = useServerNow(snapshot.offsetMs, renderedAt);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const items = snapshot.page.items.filter((item) => Date.parse(item.expiresAt) > now && !hidden.has(item.id));
  const [chosenId, setSelectedId] = useState<string | null>(focusId ?? initial.page.items[0]?.id ?? null);
  // Nothing chosen yet (an empty inbox that filled up): the first one is open.
  const selectedId = chosenId ?? items[0]?.id ?? null;
  // The open form belongs to one checkpoint: moving on closes it. A key pressed while the
  // checkpoint is still loading opens its form once it has loaded (if the viewer may act).
  const [modeFor, setModeFor] = useState<{ id: string; mode: Exclude<Mode, null> } | null>(null);
  const [help, setHelp] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [answer, setAnswer] = useState<{ id: string; state: FormState } | null>(null);
  const [fatigue, setFatigue] = useState<FatigueSignal | "recent" | null>(recentlyFatigued ? "recent" : null);
  const detailQuery = useCheckpointDetail(selectedId, snapshot.version);
  const detail = detailQuery.data?.id === selectedId ? detailQuery.data : undefined;
  const lastIndex = useRef(0);
  const seen = useRef(new Set(initial.page.items.map((item) => item.id)));

  const mode: Mode = modeFor && modeFor.id === selectedId ? modeFor.mode : null;
  const setMode = (next: Mode) => setModeFor(next && selectedId ? { id: selectedId, mode: next } : null);
  const index = items.findIndex((item) => item.id === selectedId);
  useEffect(() => {
    if (index >= 0) lastIndex.current = index;
  });

  const select = (id: string) => {
    setSelectedId(id);
    setModeFor(null);
    setAnswer(null);
    document.getElementById(optionId(id))?.scrollIntoView({ block: "nearest" });
  };

  const move = (step: Step) => {
    if (items.length === 0) return;
    // The selected checkpoint may have left the list: its neighbours are around where it was.
    const from = index >= 0 ? index : step === 1 ? lastIndex.current - 1 : lastIndex.current;
    const to = step === "first" ? 0 : step === "last" ? items.length - 1 : Math.min(items.length - 1, Math.max(0, from + step));
    select(items[to]!.id);
  };

  // Announce arrivals; they also appear in the list without a reload.
  useEffect(() => {
    const fresh = snapshot.page.items.filter((item) => !seen.current.has(item.id));
    fresh.forEach((item) => seen.current.add(item.id));
    if (fresh.length) setAnnouncement(`${formatCount(fresh.length, "new checkpoint")} waiting.`);
  }, [snapshot.page.items]);

  // The open checkpoint ended while it was being read (someone else decided, it expired or was cancelled).
  const lastStatus = useRef<{ id: string; status: string } | null>(null);
  useEffect(() => {
    if (!detail) return;
    const before = lastStatus.current;
    if (before?.id === detail.id && before.status === "pending" && detail.status !== "pending" && !hidden.has(detail.id)) {
      setAnnouncement(`This checkpoint was ${detail.status} meanwhile; nothing left to do on it.`);
    }
    lastStatus.current = { id: detail.id, status: detail.status };
  }, [detail, hidden]);

  const decided = (result: DecideResult, message: string | undefined) => {
    const id = selectedId;
    if (!id) return;
    if (result.status !== "pending") setHidden((previous) => new Set(previous).add(id));
    if (result.fatigue) setFatigue(result.fatigue);
    setAnnouncement(message ?? "Decided.");
    const next = items[index + 1] ?? items[index - 1];
    if (next && next.id !== id) select(next.id);
    else setMode(null);
    void client.invalidateQueries({ queryKey: approvalKeys.all });
  };

  const answered = (state: FormState) => {
    if (selectedId) setAnswer({ id: selectedId, state });
    void client.invalidateQueries({ queryKey: approvalKeys.all });
  };

  const open = (wanted: Exclude<Mode, null>) => {
    if (!detail) {
      setMode(wanted);
      setAnnouncement("Loading the checkpoint…");
      return;
    }
    const allowed = detail.status === "pending" && (wanted === "extend" ? detail.viewer.canExtendBy > 0 : detail.viewer.canDecide);
    if (allowed) setMode(wanted);
    else setAnnouncement(detail.viewer.cannotDecide ?? (mayDecide ? "Nothing to do on this checkpoint." : "Approvers and admins decide checkpoints."));
  };

  // Shortcuts anywhere on the page, except while typing or inside a dialog.
  const keys = useRef<(event: KeyboardEvent) => void>(() => {});
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable='true'], dialog")) return;
    const actions: Record<string, () => void> = {
      j: () => move(1),
      k: () => move(-1),
      a: () => open("approve"),
      d: () => open("deny"),
      e: () => open("extend"),
      "?": () => setHelp((shown) => !shown),
      Escape: () => setMode(null),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };
  useEffect(() => {
    keys.current = onKey;
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keys.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const { page } = snapshot;
  const filtered = Boolean(filters.agent || filters.system || filters.risk);
  const base = filterParams(filters);
  const nextHref = page.next ? `/approvals?${new URLSearchParams([...base, ["after", page.next]])}` : null;

  return (
    <div>
      {fatigue ? <FatigueBanner fastApprovals={fatigue === "recent" ? undefined : fatigue.fastApprovals} onDismiss={() => setFatigue(null)} /> : null}
      <p role="status" className="sr-only" data-testid="inbox-announcement">
        {announcement}
      </p>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-xs text-muted">
        <span data-testid="inbox-count">
          {formatCount(page.total, "checkpoint")} waiting{filtered ? " that match the filters" : ""}
          {filters.after ? " (a later page)" : ""} · updates live
        </span>
        <button type="button" onClick={() => setHelp(true)} className="rounded border border-line px-2 py-0.5 font-medium hover:bg-surface-2" aria-keyshortcuts="?">
          Keyboard shortcuts <kbd>?</kbd>
        </button>
      </div>
      {isError ? <p className="mb-2 text-xs text-amber-800 dark:text-amber-300">Live updates paused: the console did not answer. Retrying…</p> : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(18rem,26rem)_1fr]">
        <div className="space-y-2">
          {items.length ? (
            <InboxList items={items} selectedId={selectedId} now={now} onSelect={select} onMove={move} />
          ) : (
            <EmptyState title={filtered ? "Nothing waiting that matches these filters" : "Nothing is waiting for approval"}>
              {filtered ? (
                <Link href="/approvals" className="text-accent underline">
                  Clear the filters
                </Link>
              ) : (
                "New checkpoints appear here by themselves when an agent asks for something its list or a global policy sends to a person."
              )}
            </EmptyState>
          )}
          <nav aria-label="Pages" className="flex gap-3 text-xs">
            {filters.after ? (
              <Link href={`/approvals${base.size ? `?${base}` : ""}`} className="text-accent underline">
                First page
              </Link>
            ) : null}
            {nextHref ? (
              <Link href={nextHref} className="text-accent underline">
                Next page
              </Link>
            ) : null}
          </nav>
        </div>
        <section aria-label="Selected checkpoint" data-testid="selected-checkpoint">
          <SelectedCheckpoint
            detail={detail}
            loading={detailQuery.isFetching}
            error={detailQuery.error}
            mayDecide={mayDecide}
            now={now}
            mode={mode}
            onMode={setMode}
            onDecided={decided}
            onAnswer={answered}
            answer={answer && answer.id === selectedId ? answer.state : null}
          />
        </section>
      </div>
      <KeyboardHelp open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
