"use client";
// The pending checkpoints as a listbox (WAI-ARIA pattern): one tab stop, the selection moved with
// the arrow keys, Home/End, or j/k anywhere on the page; the selected checkpoint opens beside it.
import type { KeyboardEvent } from "react";
import { Countdown } from "@/components/approvals/countdown";
import { Badge } from "@/components/ui/badge";
import { RiskBadge } from "@/components/ui/risk-badge";
import type { InboxItem } from "./inbox-types";

interface Props {
  items: InboxItem[];
  selectedId: string | null;
  now: number;
  onSelect: (id: string) => void;
  onMove: (step: number | "first" | "last") => void;
}

export const optionId = (id: string) => `checkpoint-${id}`;

export function InboxList({ items, selectedId, now, onSelect, onMove }: Props) {
  const selectedInList = items.some((item) => item.id === selectedId);
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const moves: Record<string, number | "first" | "last"> = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    onMove(move);
  };
  return (
    <ul
      role="listbox"
      aria-label="Pending checkpoints, soonest expiry first"
      tabIndex={0}
      aria-activedescendant={selectedInList && selectedId ? optionId(selectedId) : undefined}
      onKeyDown={onKeyDown}
      data-testid="inbox-list"
      className="max-h-[70vh] overflow-y-auto rounded-md border border-line bg-surface"
    >
      {items.map((item) => {
        const selected = item.id === selectedId;
        return (
          <li
            key={item.id}
            id={optionId(item.id)}
            role="option"
            aria-selected={selected}
            onClick={() => onSelect(item.id)}
            className={`cursor-pointer border-b border-line px-3 py-2 last:border-b-0 ${selected ? "bg-surface-2 shadow-[inset_3px_0_0_var(--accent)]" : "hover:bg-surface-2"}`}
          >
            <div className="flex items-baseline justify-between gap-2">
              <span className="truncate font-medium">{item.agent.name}</span>
              <Countdown expiresAt={item.expiresAt} now={now} />
            </div>
            <div className="mt-0.5 truncate font-mono text-xs">
              {item.action}
              {item.resource ? <span className="text-muted"> · {item.resource}</span> : null}
            </div>
            <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-muted">
              {item.risk ? <RiskBadge risk={item.risk} /> : <Badge tone="grey">not in catalog</Badge>}
              <span className="tabular-nums">
                {item.approvals} of {item.requiredApprovals} approval{item.requiredApprovals === 1 ? "" : "s"}
              </span>
              {item.delegated ? <Badge tone="violet">delegated</Badge> : null}
              {item.yours ? <Badge tone="slate">your agent</Badge> : null}
              {item.votedByYou ? <Badge tone="blue">you voted</Badge> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
